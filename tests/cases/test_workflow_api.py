"""§2 API: /api/v1/applications/ (create, list, detail with status, deadline and assessment), transitions,
/api/v1/entitlements/ (read)."""
import datetime as dt

import pytest
from rest_framework.test import APIClient

from cases.dibao import workflow
from cases.models import Application, Entitlement
from tests.cases.dibao_helpers import poor_household, seed_standards

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users):
    seed_standards()
    client = APIClient()
    client.force_authenticate(users["zhandian_jingban"])
    return client


def test_create_list_detail(api, users):
    hh = poor_household()
    r = api.post("/api/v1/applications/", {"household": hh.pk, "reason": "因病致贫"}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "accepted" and body["deadline"] and body["deadline_state"]["state"] in ("ok", "near")
    assert "record_investigation" in body["available_actions"]
    listed = api.get("/api/v1/applications/").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]


def test_transitions_and_assessment(api, users):
    hh = poor_household()
    app_id = api.post("/api/v1/applications/", {"household": hh.pk, "reason": "困难"}, format="json").json()["id"]
    r = api.post(f"/api/v1/applications/{app_id}/transitions/", {
        "action": "record_investigation", "investigated_on": dt.date.today().isoformat(),
        "investigator_1": "刘洋", "investigator_2": "马强", "findings": "入户", "verification_result": "无异常"},
        format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "investigated" and body["assessment"]["monthly_amount"] == "1209.99"
    assert any(line["label"] == "月人均收入" for line in body["assessment"]["lines"])


def test_illegal_transition_400_with_chinese_message(api):
    hh = poor_household()
    app_id = api.post("/api/v1/applications/", {"household": hh.pk, "reason": "困难"}, format="json").json()["id"]
    r = api.post(f"/api/v1/applications/{app_id}/transitions/", {"action": "close_publicity"}, format="json")
    assert r.status_code == 400 and "不能进行" in r.content.decode()
    r = api.post(f"/api/v1/applications/{app_id}/transitions/", {"action": "confirm"}, format="json")
    assert r.status_code == 400 and "审批人" in r.content.decode()


def test_out_of_scope_404(api, users):
    hh = poor_household()
    app = workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="困难")
    other = APIClient()
    other.force_authenticate(users["xiangyun_jingban"])
    assert other.get(f"/api/v1/applications/{app.pk}/").status_code == 404
    assert other.post(f"/api/v1/applications/{app.pk}/transitions/", {"action": "withdraw", "reason": "x"},
                      format="json").status_code == 404
    assert other.post("/api/v1/applications/", {"household": hh.pk, "reason": "x"}, format="json").status_code == 404
    assert Application.objects.get(pk=app.pk).status == "accepted"


def test_entitlements_read_only_and_scoped(api, users):
    from decimal import Decimal

    hh = poor_household()
    ent = Entitlement.objects.create(household=hh, category="dibao", persons_covered=2, monthly_amount=Decimal("500"),
                                     start_month=dt.date(2026, 1, 1), county_id=hh.county_id,
                                     township_id=hh.township_id, village_id=hh.village_id)
    body = api.get("/api/v1/entitlements/?category=dibao").json()
    assert [row["id"] for row in body["results"]] == [ent.pk] and body["results"][0]["monthly_amount"] == "500.00"
    assert api.post("/api/v1/entitlements/", {}, format="json").status_code == 405
    other = APIClient()
    other.force_authenticate(users["xiangyun_jingban"])
    assert other.get(f"/api/v1/entitlements/{ent.pk}/").status_code == 404


def test_residence_application_by_id_number(users):
    """§2 居住地申请 through the API: the residence township names the applicant's ID number."""
    seed_standards()
    hh = poor_household()
    head = hh.members.get(relationship="head")
    client = APIClient()
    client.force_authenticate(users["xitao_jingban"])
    r = client.post("/api/v1/applications/", {"via_residence": True, "applicant_id_number": head.reveal_id_number(),
                                              "reason": "务工居住", "residence_permit": "豫居2025-9"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["handling_township"] == "410823102" and r.json()["applicant"] == head.pk
    r = client.post("/api/v1/applications/", {"reason": "x"}, format="json")
    assert r.status_code == 400 and "请提供家庭ID" in r.content.decode()


def test_a_reason_of_only_spaces_or_line_breaks_is_refused_and_the_schema_says_so(api):
    hh = poor_household()
    r = api.post("/api/v1/applications/", {"household": hh.pk, "reason": " \r\n\t"}, format="json")
    assert r.status_code == 400 and "reason" in r.json()
    assert not Application.objects.filter(household=hh).exists()
    schema = api.get("/api/schema/?format=json").json()
    reasons = [c["properties"]["reason"] for name, c in schema["components"]["schemas"].items()
               if "Application" in name and "reason" in c.get("properties", {}) and "reason" in c.get("required", ())]
    written = [r for r in reasons if not r.get("readOnly")]
    assert written and all(r.get("pattern") == "\\S" for r in written), reasons
