"""The reports pages, exports and API: scope of every drill-down, xlsx without formulas and with the filters in its
header, audited exports, full numbers only with a reason, the monthly statistics and the readable audit trail."""
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from cases.models import Application, Entitlement
from core.models import AuditEvent
from funds.models import PaymentBatch
from tests.factories import PersonFactory
from tests.reports.test_indicators import HEYING, MONTH, application, batch, entitled, line

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def login(client, users, username):
    client.force_login(users[username])
    return client


def workbook(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(data)).active


def late_app(users, village=HEYING, head_name=None):
    app = application(users, accepted=dt.date(2026, 10, 1), deadline=dt.date(2026, 11, 4), village=village)
    if head_name:
        type(app.household).objects.filter(pk=app.household_id).update(head_name=head_name)
    return app


URL = "/reports/aims/applications_late/?month=2026-11"


def test_dashboard_shows_red_indicator_with_link_to_cases(client, users):
    late_app(users)
    body = login(client, users, "wuzhi_minzheng").get("/reports/aims/?month=2026-11").content.decode()
    assert "兜牢底" in body and "兜准底" in body and "兜好底" in body
    assert 'data-indicator="applications_late"' in body
    assert "/reports/aims/applications_late/?region=410823&amp;month=2026-11" in body
    assert "status-red" in body


@pytest.mark.parametrize("username,region,status", [
    ("wenxian_minzheng", "410823", 404),  # another county
    ("xitao_jingban", "410823101", 404),  # another township of the same county
    ("heying_cun", "410823101201", 404),  # a neighbouring village
    ("zhandian_jingban", "410823", 404),  # up to the county from a township
    ("zhandian_jingban", "410823101", 200),
    ("wuzhi_minzheng", "410823101200", 200),  # down to a village inside the county
    ("shi_admin", "410825", 200),
])
def test_drill_down_region_must_lie_within_the_users_region(client, users, username, region, status):
    assert login(client, users, username).get(f"{URL}&region={region}").status_code == status
    assert client.get(f"/reports/aims/?region={region}").status_code == status


def test_drill_down_lists_only_cases_in_scope(client, users):
    mine = late_app(users, head_name="欧阳本县")
    late_app(users, village="410825101201", head_name="司马外县")
    body = login(client, users, "wuzhi_minzheng").get(URL).content.decode()
    assert "欧阳本县" in body and "司马外县" not in body
    assert f"/applications/{mine.pk}/" in body
    city = login(client, users, "shi_admin").get(URL).content.decode()
    assert "欧阳本县" in city and "司马外县" in city
    # a role that does not read cases does not see the indicator at all
    assert login(client, users, "wuzhi_caizheng").get(URL).status_code == 404


def test_bad_month_and_future_month_are_not_found(client, users):
    c = login(client, users, "wuzhi_minzheng")
    assert c.get("/reports/aims/?month=2026-13").status_code == 404
    assert c.get("/reports/aims/?month=abc").status_code == 404
    assert c.get("/reports/aims/?month=2030-01").status_code == 404
    assert c.get("/reports/aims/?region=41<script>").status_code == 404


def test_drill_down_export_is_a_text_only_workbook_with_filters_and_is_audited(client, users):
    late_app(users, head_name="=HYPERLINK(\"http://x\")")
    r = login(client, users, "wuzhi_minzheng").get(URL + "&format=xlsx")
    assert r.status_code == 200 and r["Content-Type"] == XLSX
    ws = workbook(r)
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"], "no formula cells"
    texts = [str(c.value) for c in cells]
    assert "申请超过办结时限明细" in texts[0]
    assert "地区：" in texts and "武陟县" in texts and "2026年11月" in texts
    assert '=HYPERLINK("http://x")' in texts
    event = AuditEvent.objects.filter(action="export", actor_username="wuzhi_minzheng").latest("id")
    assert event.after["rows"] == 1 and event.after["full_numbers"] is False
    assert event.after["filters"]["指标"] == "申请超过办结时限"


def test_full_id_numbers_only_with_a_reason_and_for_roles_that_may_see_them(client, users):
    from cases.models import TekunProfile

    head = PersonFactory(household__village=HEYING)
    h = head.household
    TekunProfile.objects.create(person=head, household=h, status="supported", form="dispersed",
                                county_id=h.county_id, township_id=h.township_id, village_id=h.village_id)
    url = "/reports/aims/tekun_no_agreement/?region=410823&format=xlsx&full=1"
    c = login(client, users, "wuzhi_minzheng")
    r = c.get(url)
    assert r.status_code == 302  # no reason: back to the list with a message, nothing exported
    assert not AuditEvent.objects.filter(action="export").exists()
    r = c.get(url + "&reason=核对照料协议")
    full = head.reveal_id_number()
    assert full in [str(x.value) for row in workbook(r).iter_rows() for x in row]
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.after["full_numbers"] is True and event.reason == "核对照料协议"
    # the city administrator may not see full numbers: the file stays masked
    r = login(client, users, "shi_admin").get(url + "&reason=看看")
    values = [str(x.value) for row in workbook(r).iter_rows() for x in row]
    assert full not in values and head.id_masked in values


def test_monthly_statistics_count_households_persons_amounts_new_and_exited(client, users):
    head, ent = entitled(persons=3, amount="600.00")
    Entitlement.objects.filter(pk=ent.pk).update(start_month=MONTH)
    _, other = entitled(persons=1, amount="300.00")
    ended_head, ended = entitled(persons=2)
    Entitlement.objects.filter(pk=ended.pk).update(status="ended", end_month=dt.date(2026, 10, 1))
    b = batch()
    line(b, ent)
    line(b, other, no=2)
    data = login(client, users, "wuzhi_minzheng").get("/api/v1/reports/monthly/?region=410823&month=2026-11").json()
    dibao = next(t for t in data["totals"] if t["category"] == "dibao")
    assert (dibao["households"], dibao["persons"]) == (2, 4)
    assert Decimal(dibao["amount"]) == Decimal("900.00") and Decimal(dibao["average"]) == Decimal("225.00")
    assert dibao["new"] == 1 and dibao["exited"] == 1
    zhandian = next(r for r in data["rows"] if r["region"] == "410823101" and r["category"] == "dibao")
    assert zhandian["households"] == 2
    # the township caseworker counts cases but does not read money
    t = login(client, users, "zhandian_jingban").get("/api/v1/reports/monthly/?month=2026-11").json()
    assert next(x for x in t["totals"] if x["category"] == "dibao")["amount"] is None
    page = client.get("/reports/monthly/?month=2026-11").content.decode()
    assert "社会救助统计月报" in page and "执行的低保标准" in page


def test_monthly_page_and_exports(client, users):
    c = login(client, users, "wuzhi_minzheng")
    r = c.get("/reports/monthly/?month=2026-11&format=xlsx")
    assert r["Content-Type"] == XLSX
    assert "社会救助统计月报" in str(workbook(r)["A1"].value)
    r = c.get("/api/v1/reports/monthly/?month=2026-11&format=xlsx")
    assert r.status_code == 200 and r["Content-Type"] == XLSX
    assert AuditEvent.objects.filter(action="export", actor_username="wuzhi_minzheng").count() == 2


def test_aims_api_gives_each_indicator_with_value_previous_target_and_status(client, users):
    late_app(users)
    data = login(client, users, "wuzhi_minzheng").get("/api/v1/reports/aims/?region=410823&month=2026-11").json()
    assert [a["code"] for a in data["aims"]] == ["laodi", "zhundi", "haodi"]
    ind = {i["code"]: i for a in data["aims"] for i in a["indicators"]}
    assert {"code", "label", "value", "previous", "target", "status"} <= set(ind["applications_late"])
    assert ind["applications_late"]["value"] == "1" and ind["applications_late"]["status"] == "red"
    assert ind["applications_late"]["previous"] == "0"
    assert client.get("/api/v1/reports/aims/?region=410825").status_code == 404
    r = client.get("/api/v1/reports/aims/?month=2026-11&format=xlsx")
    assert r["Content-Type"] == XLSX


def test_target_is_a_parameter_and_moves_the_light(client, users):
    from core import params

    for _ in range(2):
        late_app(users)
    c = login(client, users, "wuzhi_minzheng")
    ind = lambda: {i["code"]: i for a in c.get("/api/v1/reports/aims/?month=2026-11").json()["aims"]  # noqa: E731
                   for i in a["indicators"]}["applications_late"]
    assert ind()["status"] == "red"
    params.parameter_write(actor=users["shi_admin"], key="aims.applications_late", value="1",
                           effective_from=dt.date(2026, 1, 1), reason="试行")
    assert ind()["target"] == "1" and ind()["status"] == "amber"
    params.parameter_write(actor=users["shi_admin"], key="aims.applications_late", value="2",
                           effective_from=dt.date(2026, 1, 1), reason="试行")
    assert ind()["status"] == "green"


def test_charts_page_uses_static_files_and_no_inline_script(client, users):
    body = login(client, users, "wuzhi_minzheng").get("/reports/charts/?month=2026-11").content.decode()
    assert "/static/vendor/chartjs-4.6.1/chart.umd.min.js" in body and "/static/js/reports.js" in body
    assert 'id="chart-data" type="application/json"' in body
    import re

    inline = [s for s in re.findall(r"<script([^>]*)>(.*?)</script>", body, re.S)
              if "src=" not in s[0] and "application/json" not in s[0]]
    assert not inline


def test_audit_trail_is_readable_masked_filtered_and_exportable(client, users):
    from core import audit

    app = late_app(users)
    audit.record(actor=users["zhandian_jingban"], action="application.refuse", obj=app,
                 before={"status": "investigating", "note": "身份证 410823199001011234"},
                 after={"status": "refused"}, reason="收入超标")
    c = login(client, users, "wuzhi_minzheng")
    body = c.get("/audit-trail/?object_type=cases.application").content.decode()
    assert "不予确认申请" in body  # the action in Chinese
    assert "詹店镇经办 刘洋" in body and "乡镇经办人" in body  # actor name and role
    assert "状态" in body  # the field's Chinese label
    assert f"/applications/{app.pk}/" in body  # the object as a link
    assert "410823199001011234" not in body and "410823********1234" in body  # masked
    assert "收入超标" in c.get("/audit-trail/?actor=詹店镇经办 刘洋").content.decode()
    assert "收入超标" not in c.get("/audit-trail/?region=410823102").content.decode()
    assert "收入超标" in c.get("/audit-trail/?region=410823101&action=application").content.decode()
    r = c.get("/audit-trail/?object_type=cases.application&format=xlsx")
    values = [str(x.value) for row in workbook(r).iter_rows() for x in row]
    assert any("不予确认申请" in v for v in values) and not any("410823199001011234" in v for v in values)
    assert AuditEvent.objects.filter(action="export", object_repr="审计日志").exists()
    # another county's officer does not read it
    other = login(client, users, "wenxian_minzheng").get("/audit-trail/?object_type=cases.application")
    assert "收入超标" not in other.content.decode()


def test_dashboard_query_count_does_not_grow_with_cases(client, users, django_assert_max_num_queries):
    c = login(client, users, "wuzhi_minzheng")
    c.get("/reports/aims/?month=2026-11")  # warm caches
    with django_assert_max_num_queries(80) as first:
        c.get("/reports/aims/?month=2026-11")
    for _ in range(5):
        late_app(users)
    PaymentBatch.objects.all().delete()
    with django_assert_max_num_queries(len(first.captured_queries)):
        c.get("/reports/aims/?month=2026-11")
    assert Application.objects.count() == 5


@pytest.mark.parametrize("key,url,username", [
    ("households", "/households/", "zhandian_jingban"),
    ("applications", "/applications/", "zhandian_jingban"),
    ("clues", "/monitoring/clues/", "wuzhi_minzheng"),
    ("complaints", "/supervision/complaints/", "wuzhi_minzheng"),
])
def test_list_pages_download_their_rows_as_xlsx_in_scope(client, users, key, url, username):
    late_app(users, head_name="欧阳本县")
    late_app(users, village="410825101201", head_name="司马外县")
    c = login(client, users, username)
    assert f"/reports/export/{key}/" in c.get(url).content.decode()
    r = c.get(f"/reports/export/{key}/?status=")
    assert r.status_code == 200 and r["Content-Type"] == XLSX
    values = [str(x.value) for row in workbook(r).iter_rows() for x in row if x.value is not None]
    if key in ("households", "applications"):
        assert "欧阳本县" in values and "司马外县" not in values
    assert AuditEvent.objects.filter(action="export", actor_username=username).exists()
    assert login(client, users, "wuzhi_caizheng").get(f"/reports/export/{key}/").status_code == 404
    assert c.get("/reports/export/nothing/").status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"])
def test_report_reads_go_to_the_read_replica_when_one_is_configured(client, users, settings):
    """With a replica alias named, the aims API computes from the replica; the session and user lookups of the
    request (middleware, outside the report) stay on the primary."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    if connections["default"].vendor != "postgresql":
        pytest.skip("a second connection to the same test database needs PostgreSQL (committed rows)")
    late_app(users)
    settings.JIUZHU_READ_REPLICA = "replica"
    c = login(client, users, "wuzhi_minzheng")
    with CaptureQueriesContext(connections["replica"]) as replica, \
            CaptureQueriesContext(connections["default"]) as primary:
        data = c.get("/api/v1/reports/aims/?region=410823&month=2026-11").json()
    ind = {i["code"]: i for a in data["aims"] for i in a["indicators"]}
    assert ind["applications_late"]["value"] == "1"  # the mirror holds the same rows
    assert len(replica.captured_queries) > 5
    assert not any("django_session" in q["sql"] for q in replica.captured_queries)
    assert any("django_session" in q["sql"] or "accounts_user" in q["sql"] for q in primary.captured_queries)
