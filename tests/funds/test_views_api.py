import datetime as dt
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from rest_framework.test import APIClient

from core.models import AuditEvent
from funds import services
from funds.models import PaymentBatch, PriceIndex
from tests.funds.conftest import MONTH, make_paid

pytestmark = pytest.mark.django_db
S = PaymentBatch.Status


@pytest.fixture
def batch(users, standards, wuzhi):
    for i in range(3):
        make_paid("dibao", f"{300 + i}.00", 2)
    make_paid("dibao", "250.00", 1, card=False)
    return services.batch_draft(actor=users["wuzhi_minzheng"], county=wuzhi, month=MONTH)


def test_pages_in_scope_200_out_of_scope_404(client, users, batch):
    """§0 out of reach is 404: another county's officer, village staff and anonymous users never see a batch."""
    pages = [f"/funds/batches/{batch.pk}/", f"/funds/batches/{batch.pk}/request/", "/funds/batches/", "/funds/deadlines/",
             "/funds/price-index/"]
    for name in ("wuzhi_minzheng", "wuzhi_caizheng", "wuzhi_choucha", "shi_admin"):
        client.force_login(users[name])
        for url in pages:
            assert client.get(url).status_code == 200, (name, url)
    client.force_login(users["wenxian_minzheng"])
    assert client.get(f"/funds/batches/{batch.pk}/").status_code == 404
    assert client.get(f"/funds/batches/{batch.pk}/request/").status_code == 404
    client.force_login(users["heying_cun"])
    assert client.get("/funds/batches/").status_code == 404
    client.logout()
    assert client.get("/funds/batches/").status_code == 302


def test_pages_a_role_may_not_open_are_404_and_audited(client, users, db):
    """§12 a payment page opened by a role without payment rights answers 404 and leaves an access.denied trail."""
    client.force_login(users["heying_cun"])
    for url in ("/funds/batches/", "/funds/deadlines/", "/funds/price-index/"):
        assert client.get(url).status_code == 404
    denied = AuditEvent.objects.filter(action="access.denied", actor=users["heying_cun"])
    assert sorted(denied.values_list("object_repr", flat=True)) == [
        "/funds/batches/", "/funds/deadlines/", "/funds/price-index/"]


def test_finance_sees_payment_lines_but_no_household_files(client, users, batch):
    """§6 finance sees batches, totals, deadlines and the request, never household files (no CASE_VIEW)."""
    client.force_login(users["wuzhi_caizheng"])
    html = client.get(f"/funds/batches/{batch.pk}/").content.decode()
    assert "分类汇总" in html and "数据报送一卡通并申请资金" in html
    assert "/households/" not in html
    line = batch.lines.first()
    assert client.get(f"/households/{line.household_id}/").status_code == 404
    assert client.get(f"/funds/payees/{line.household_id}/").status_code == 404


def test_officer_drafts_finalises_through_pages_finance_approves(client, users, standards, wuzhi):
    make_paid("dibao", "300.00", 1)
    client.force_login(users["wuzhi_minzheng"])
    resp = client.post("/funds/batches/", {"month": "2026-12"})
    batch = PaymentBatch.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/funds/batches/{batch.pk}/"
    client.post(f"/funds/batches/{batch.pk}/transition/", {"to": "finalised"})
    client.post(f"/funds/batches/{batch.pk}/transition/", {"to": "funds_requested"})
    resp = client.post(f"/funds/batches/{batch.pk}/transition/", {"to": "transferred", "reference": "x"}, follow=True)
    assert "您的角色无权进行此操作" in resp.content.decode()
    client.force_login(users["wuzhi_caizheng"])
    client.post(f"/funds/batches/{batch.pk}/transition/", {"to": "transferred", "reference": "武财拨1号"})
    batch.refresh_from_db()
    assert batch.status == S.TRANSFERRED and batch.approved_by == users["wuzhi_caizheng"]


def test_batch_page_query_count_does_not_grow_with_lines(client, users, standards, wuzhi):
    """List pages are paged without N+1: the query count is the same for 3 and 30 lines."""
    for _ in range(3):
        make_paid("dibao", "300.00", 1)
    b = services.batch_draft(actor=users["wuzhi_minzheng"], county=wuzhi, month=MONTH)
    client.force_login(users["wuzhi_caizheng"])
    client.get(f"/funds/batches/{b.pk}/")  # warm the parameter cache
    with CaptureQueriesContext(connection) as small:
        client.get(f"/funds/batches/{b.pk}/")
    services.batch_transition(actor=users["wuzhi_minzheng"], batch=b, to=S.CANCELLED)
    for _ in range(27):
        make_paid("dibao", "300.00", 1)
    b = services.batch_draft(actor=users["wuzhi_minzheng"], county=wuzhi, month=MONTH)
    with CaptureQueriesContext(connection) as big:
        client.get(f"/funds/batches/{b.pk}/")
    assert len(big) == len(small), "\n".join(q["sql"][:150] for q in big.captured_queries)


def test_batch_list_query_count_does_not_grow_with_batches(client, users, standards, wuzhi):
    """The list shows each regular batch's deadlines: one calendar read for the page, not one per batch."""
    make_paid("dibao", "300.00", 1)
    officer = users["wuzhi_minzheng"]
    services.batch_draft(actor=officer, county=wuzhi, month=dt.date(2026, 9, 1))
    client.force_login(users["wuzhi_caizheng"])
    client.get("/funds/batches/")  # warm the parameter cache
    with CaptureQueriesContext(connection) as one:
        client.get("/funds/batches/")
    for month in (10, 11, 12):
        services.batch_draft(actor=officer, county=wuzhi, month=dt.date(2026, month, 1))
    with CaptureQueriesContext(connection) as four:
        html = client.get("/funds/batches/").content.decode()
    assert html.count('title="截止 ') == 4 * 3  # every batch shows its three deadlines
    assert len(four) == len(one), "\n".join(q["sql"][:150] for q in four.captured_queries)


def test_home_page_batch_deadlines_query_count_does_not_grow_with_batches(client, users, standards, wuzhi):
    """The finance officer's home page shows the latest batches with their deadlines: one calendar read."""
    make_paid("dibao", "300.00", 1)
    officer = users["wuzhi_minzheng"]
    services.batch_draft(actor=officer, county=wuzhi, month=dt.date(2026, 9, 1))
    client.force_login(users["wuzhi_caizheng"])
    client.get("/")  # warm the caches
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for month in (10, 11, 12):
        services.batch_draft(actor=officer, county=wuzhi, month=dt.date(2026, month, 1))
    with CaptureQueriesContext(connection) as four:
        response = client.get("/")
    assert len(response.context["batches"]) == 4
    assert len(four) == len(one), "\n".join(q["sql"][:150] for q in four.captured_queries)


def test_bank_result_upload_page_lists_problems_in_chinese(client, users, batch):
    from tests.funds.conftest import to_sent

    for household in [ln.household for ln in batch.lines.filter(excluded=True)]:
        services.payee_set(actor=users["wuzhi_minzheng"], household=household, card_number="6228480000000000018",
                           bank_name="农行")
    batch = services.batch_regenerate(actor=users["wuzhi_minzheng"], batch=batch)
    batch = to_sent(batch, users)
    client.force_login(users["wuzhi_minzheng"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    resp = client.post(f"/funds/batches/{batch.pk}/bank-result/",
                       {"file": SimpleUploadedFile("结果.docx", docx.getvalue())}, follow=True)
    html = resp.content.decode()
    assert "结果文件未导入" in html and "不是 Excel 文件" in html


def test_payee_page_registers_missing_card(client, users, batch):
    line = batch.lines.get(excluded=True)
    client.force_login(users["wuzhi_minzheng"])
    url = f"/funds/payees/{line.household_id}/"
    person = line.household.members.first()
    resp = client.post(url, {"person": person.pk, "card_number": "12ab", "bank_name": "农行"})
    assert "社保卡号/银行账号应为12至19位数字" in resp.content.decode()
    resp = client.post(url, {"person": person.pk, "card_number": "6228 4800 0000 0000 018", "bank_name": "农行"})
    assert resp.status_code == 302
    assert line.household.payee_accounts.get(active=True).card_masked == "****0018"


def test_change_grant_on_a_household_reaches_its_payee_service_too(client, users, batch):
    """§0 an explicit, audited grant ORed into the reach opens the payee page of another county's household,
    and the service behind the page honours the same grant (no form that can never be saved)."""
    from accounts.models import User
    from accounts.services import object_grant

    line = batch.lines.get(excluded=True)
    url = f"/funds/payees/{line.household_id}/"
    client.force_login(users["wenxian_minzheng"])
    assert client.get(url).status_code == 404
    object_grant(actor=users["wuzhi_minzheng"], user=users["wenxian_minzheng"], obj=line.household, level="change",
                 reason="户籍在武陟县，居住地温县代为登记")
    client.force_login(User.objects.get(pk=users["wenxian_minzheng"].pk))  # grants are cached per user object
    person = line.household.members.first()
    resp = client.post(url, {"person": person.pk, "card_number": "6228 4800 0000 0000 018", "bank_name": "农行"})
    assert resp.status_code == 302
    assert line.household.payee_accounts.get(active=True).card_masked == "****0018"


# --- API -------------------------------------------------------------------------------------------

def _api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_api_list_detail_lines_scope(users, batch):
    api = _api(users["wuzhi_caizheng"])
    data = api.get("/api/v1/payment-batches/").json()
    assert [r["id"] for r in data["results"]] == [batch.pk]
    detail = api.get(f"/api/v1/payment-batches/{batch.pk}/").json()
    assert detail["number"] == "410823-202612-01" and detail["total_amount"] == "903.00"
    assert [d["step"] for d in detail["deadlines"]] == ["data", "finance", "bank"]
    lines = api.get(f"/api/v1/payment-batches/{batch.pk}/lines/").json()["results"]
    assert len(lines) == 3 and "****" in lines[0]["card_masked"]
    excluded = api.get(f"/api/v1/payment-batches/{batch.pk}/lines/?view=excluded").json()["results"]
    assert excluded[0]["exclusion_reason"] == "未登记社保卡/银行账号"
    other = _api(users["wenxian_minzheng"])
    assert other.get(f"/api/v1/payment-batches/{batch.pk}/").status_code == 404
    assert other.get("/api/v1/payment-batches/").json()["results"] == []
    assert _api(users["heying_cun"]).get("/api/v1/payment-batches/").status_code == 404


def test_api_transitions_and_export(users, batch):
    officer, finance = _api(users["wuzhi_minzheng"]), _api(users["wuzhi_caizheng"])
    url = f"/api/v1/payment-batches/{batch.pk}/"
    resp = finance.post(url + "transitions/", {"to": "finalised"}, format="json")
    assert resp.status_code == 400 and resp.json()["detail"] == ["您的角色无权进行此操作"]
    assert finance.get(url + "export/").status_code == 400  # a draft is never exported
    assert officer.post(url + "transitions/", {"to": "finalised"}, format="json").json()["status"] == "finalised"
    resp = finance.get(url + "export/")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(resp.streaming_content))).active
    assert ws.cell(1, 7).value == "社保卡号/银行账号" and ws.max_row == 5
    assert AuditEvent.objects.filter(action="payment_export.download", actor=users["wuzhi_caizheng"]).count() == 1
    resp = officer.post(url + "transitions/", {"to": "closed"}, format="json")
    assert resp.status_code == 400 and "不能变更为“已关闭”" in resp.json()["detail"][0]


def test_api_bank_result_upload_problems(users, batch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.funds.conftest import to_sent

    services.batch_regenerate(actor=users["wuzhi_minzheng"], batch=batch)
    sent = to_sent(PaymentBatch.objects.get(pk=batch.pk), users)
    api = _api(users["wuzhi_minzheng"])
    resp = api.post(f"/api/v1/payment-batches/{sent.pk}/bank-result/",
                    {"file": SimpleUploadedFile("r.csv", "序号,姓名\n".encode())}, format="multipart")
    assert resp.status_code == 400
    assert resp.json()["problems"] == ["表头缺少必需的列：社保卡号/银行账号、发放金额(元)、发放状态（第1行应为表头）"]


def test_api_price_index_city_enters_others_read(users, db):
    city = _api(users["shi_admin"])
    resp = city.post("/api/v1/price-index/", {"month": "2026-12-01", "cpi_yoy": "3.60", "food_cpi_yoy": "2.00"},
                     format="json")
    assert resp.status_code == 201 and resp.json()["linkage_rate"] == "3.60"
    resp = city.post("/api/v1/price-index/", {"month": "2026-12-01", "cpi_yoy": "3.00", "food_cpi_yoy": "2.00"},
                     format="json")
    assert resp.status_code == 201 and resp.json()["linkage_rate"] is None
    assert PriceIndex.objects.get(month=dt.date(2026, 12, 1)).cpi_yoy == 3
    finance = _api(users["wuzhi_caizheng"])
    assert finance.get("/api/v1/price-index/").json()["results"][0]["cpi_yoy"] == "3.00"
    assert finance.post("/api/v1/price-index/", {"month": "2026-12-01", "cpi_yoy": "9", "food_cpi_yoy": "9"},
                        format="json").status_code == 403
    assert _api(users["heying_cun"]).get("/api/v1/price-index/").status_code == 404


def test_city_enters_price_index_on_the_page_and_sees_linkage(client, users, db):
    """§9 the city enters monthly CPI and food CPI; the page shows whether the linkage is on."""
    client.force_login(users["shi_admin"])
    resp = client.post("/funds/price-index/", {"month": "2026-11", "cpi_yoy": "2.10", "food_cpi_yoy": "6.00"})
    assert resp.status_code == 302
    html = client.get("/funds/price-index/").content.decode()
    assert "启动（6.00%）" in html and "已启动" in html
    resp = client.post("/funds/price-index/", {"month": "2026-11", "cpi_yoy": "2.10", "food_cpi_yoy": "5.90"})
    assert "未启动" in client.get("/funds/price-index/").content.decode()
    client.force_login(users["wuzhi_caizheng"])
    html = client.get("/funds/price-index/").content.decode()
    assert 'name="cpi_yoy"' not in html  # finance reads, the city enters
    resp = client.post("/funds/price-index/", {"month": "2026-12", "cpi_yoy": "9", "food_cpi_yoy": "9"})
    assert not PriceIndex.objects.filter(month=dt.date(2026, 12, 1)).exists()
