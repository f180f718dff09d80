"""Issue #15 item 9: POSTs whose documented request body the view refused (a body valid for the schema got a
field-format 400). For each, schemathesis generates bodies from the request schema, the test puts real ids
of the permission harness's world where the body names an object, and sends them as the role that does the
work. A generated body may be refused only for a business rule (a `detail` message, or one of the rule
messages listed here, all in Chinese), never because a field the schema calls valid is not.

Runs with `-m fuzz` (FUZZ_EXAMPLES, default 8); the plain tests below pin one example body per operation."""
import os
import re

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from rest_framework.test import APIClient

from tests.fuzz.test_api_schemathesis import world  # noqa: F401  (the fixture)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
CHINESE = re.compile(r"[\u4e00-\u9fff]")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _application_ids(body, w):
    if "household" in body:
        body["household"] = w.household.pk
    for key in ("applicant", "single_person"):
        if body.get(key) is not None:
            body[key] = w.person.pk


def _attachment_ids(body, w):
    body["owner_type"], body["owner_id"] = "cases.household", w.household.pk


# path -> (role, body fix-up, business-rule messages a field key may carry besides `detail`). An upload's
# `file` is refused for its content (PDF/JPEG/PNG by magic bytes), which OpenAPI cannot say: "file" is listed.
OPERATIONS = {
    "/api/v1/applications/": ("zhandian_jingban", _application_ids, ("无需按居住地申请", "请选择防返贫监测类型")),
    "/api/v1/attachments/": ("zhandian_jingban", _attachment_ids, ("只能上传 PDF、JPEG 或 PNG", "文件不能为空")),
    "/api/v1/attachments/{id}/remove/": ("zhandian_jingban", None, ()),
    "/api/v1/payment-batches/": ("wuzhi_minzheng", None, ("的月度批次已存在",)),
    "/api/v1/reserve-funds/{township}/top-up/": ("wuzhi_minzheng", None, ("超出系统上限",)),
}


def _refused_for_a_field(response, rules) -> str:
    """'' when the answer is not a 400 or a business-rule refusal; else the field errors."""
    if response.status_code != 400:
        return ""
    errors = response.json()
    fields = {}
    for key, messages in errors.items():
        text = " ".join(messages) if isinstance(messages, list) else str(messages)
        assert CHINESE.search(text), f"refusal not in Chinese: {errors}"
        if key != "detail" and not any(rule in text for rule in rules):
            fields[key] = text
    return str(fields) if fields else ""


def _attachment_pk(w):
    from attachments import services

    return services.attach(actor=w.users["zhandian_jingban"], owner=w.household, data=PDF, filename="a.pdf",
                           doc_type="other", title="样本材料").pk


@pytest.mark.fuzz
@pytest.mark.parametrize("path", list(OPERATIONS))
def test_a_body_valid_for_the_schema_is_not_refused_for_its_fields(world, path):  # noqa: F811
    role, fix_ids, rules = OPERATIONS[path]
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    operation = schema[path]["POST"]
    token = world.tokens[role]

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        params = case.path_parameters or {}
        if "township" in params:
            params["township"] = "410823101"
        if "id" in params:
            params["id"] = _attachment_pk(world)
        if isinstance(case.body, dict) and case.media_type != "application/json":
            case.body = {k: v for k, v in case.body.items() if v is not None}  # a form has no null: left out
        if fix_ids and isinstance(case.body, dict):
            fix_ids(case.body, world)
        case.headers = {**(case.headers or {}), "Authorization": f"Token {token}"}
        response = case.call()
        assert response.status_code < 500, response.text[:300]
        refused = _refused_for_a_field(response, rules)
        assert not refused, f"{case.media_type} {case.body!r} refused: {refused}"

    run()


def _client(w, role):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {w.tokens[role]}")
    return client


@pytest.mark.parametrize("body", [{"month": "2026-11-01"}, {"kind": "regular", "month": "2026-10-15"},
                                  {"kind": "one_off"}])
def test_payment_batch_documented_bodies_are_taken(world, body):  # noqa: F811
    response = _client(world, "wuzhi_minzheng").post("/api/v1/payment-batches/", body, format="json")
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:  # the one-off batch needs a confirmed aid first: a business rule
        assert list(response.json()) == ["detail"], response.json()


def test_payment_batch_month_out_of_range_is_a_message_not_a_server_error(world):  # noqa: F811
    response = _client(world, "wuzhi_minzheng").post("/api/v1/payment-batches/", {"month": "0001-01-01"},
                                                     format="json")
    assert response.status_code == 400
    assert response.json() == {"month": ["发放月份须在2000年至2099年之间"]}


def test_top_up_takes_a_documented_amount_and_refuses_an_overflow_with_a_message(world):  # noqa: F811
    client = _client(world, "wuzhi_minzheng")
    url = "/api/v1/reserve-funds/410823101/top-up/"
    ok = client.post(url, {"amount": "0.01", "note": "季度拨付"}, format="json")
    assert ok.status_code == 200, ok.content
    before = ok.json()["balance"]
    big = client.post(url, {"amount": "9999999999.99", "note": "误填"}, format="json")
    assert big.status_code == 400
    assert "超出系统上限" in big.json()["amount"][0]
    assert client.get("/api/v1/reserve-funds/410823101/").json()["balance"] == before  # nothing written
    zero = client.post(url, {"amount": "0", "note": "零"}, format="json")
    assert zero.status_code == 400 and zero.json()["amount"] == ["金额须大于0"]


def test_application_by_household_is_taken(world):  # noqa: F811
    response = _client(world, "zhandian_jingban").post(
        "/api/v1/applications/", {"household": world.household.pk, "reason": "收入低于保障标准"}, format="json")
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert list(response.json()) == ["detail"], response.json()


def test_attachment_upload_and_remove_take_the_documented_fields(world):  # noqa: F811
    client = _client(world, "zhandian_jingban")
    scan = SimpleUploadedFile("hukou.pdf", PDF, content_type="application/pdf")
    created = client.post("/api/v1/attachments/", {"owner_type": "cases.household", "owner_id": world.household.pk,
                                                    "doc_type": "other", "title": "户口簿", "file": scan},
                          format="multipart")
    assert created.status_code == 201, created.content
    removed = client.post(f"/api/v1/attachments/{created.json()['id']}/remove/", {"reason": "重复上传"},
                          format="json")
    assert removed.status_code == 200, removed.content
    assert removed.json()["removed_at"]
