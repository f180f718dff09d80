"""Pages and API of §1 monitoring: scope (404 out of reach), upload + progress, findings, population figures."""
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import AuditEvent
from monitoring import services
from monitoring.models import Clue, ComparisonRun, MonthlySnapshot
from tests.monitoring.helpers import committing, enrolled, upload, xlsx

pytestmark = pytest.mark.django_db
HEAD = ["姓名", "身份证号码", "死亡日期"]


def _death_run(users):
    _, person, ent = enrolled("dibao")
    run = upload(users["wuzhi_minzheng"], "death_police",
                 xlsx([HEAD, [person.name, person.reveal_id_number(), "2026-10-01"]]))
    return run, person, ent


def test_county_officer_uploads_through_the_page_and_sees_progress(client, users):
    _, person, _ = enrolled("dibao")
    client.force_login(users["wuzhi_minzheng"])
    data = xlsx([HEAD, [person.name, person.reveal_id_number(), "2026-10-01"]])
    with committing():
        resp = client.post(reverse("monitoring:run_list"), {
            "source": "death_police", "period": "2026-11",
            "file": SimpleUploadedFile("死亡.xlsx", data)})
    run = ComparisonRun.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("monitoring:run_detail", args=[run.pk])
    page = client.get(resp["Location"])
    assert page.status_code == 200 and "已完成" in page.content.decode() and "Refresh" not in page
    status = client.get(reverse("monitoring:run_status", args=[run.pk])).json()
    assert status["status"] == "succeeded" and status["progress"] == 100 and status["clues_created"] == 1


def test_running_run_page_refreshes_itself(client, users):
    run, _, _ = _death_run(users)
    ComparisonRun.objects.filter(pk=run.pk).update(status="running", progress=40, heartbeat_at=timezone.now())
    client.force_login(users["wuzhi_minzheng"])
    resp = client.get(reverse("monitoring:run_detail", args=[run.pk]))
    assert resp["Refresh"] == "2" and 'aria-valuenow="40"' in resp.content.decode()


def test_wrong_file_type_is_refused_on_the_page(client, users):
    client.force_login(users["wuzhi_minzheng"])
    resp = client.post(reverse("monitoring:run_list"), {
        "source": "death_police", "file": SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff")})
    assert resp.status_code == 200 and "请上传 .xlsx、.xls 或 .csv 文件" in resp.content.decode()
    assert not ComparisonRun.objects.exists()


def test_runs_of_another_county_are_404(client, users):
    """Scope: 温县 officer cannot see 武陟 runs; a caseworker cannot reach the run pages at all."""
    run, _, _ = _death_run(users)
    client.force_login(users["wenxian_minzheng"])
    assert client.get(reverse("monitoring:run_detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("monitoring:run_status", args=[run.pk])).status_code == 404
    client.force_login(users["zhandian_jingban"])
    assert client.get(reverse("monitoring:run_list")).status_code == 404


def test_township_closes_clue_on_the_page_and_other_township_gets_404(client, users):
    _death_run(users)
    clue = Clue.objects.get()
    client.force_login(users["xitao_jingban"])
    assert client.get(reverse("monitoring:clue_detail", args=[clue.pk])).status_code == 404
    client.force_login(users["zhandian_jingban"])
    assert "待核查" in client.get(reverse("monitoring:clue_list")).content.decode()
    resp = client.post(reverse("monitoring:clue_detail", args=[clue.pk]),
                       {"result": "unfounded", "finding": "入户见到本人健在，系误报"})
    assert resp.status_code == 302
    clue.refresh_from_db()
    assert clue.status == "unfounded" and clue.hold.released_at is not None


def test_confirming_a_death_without_date_shows_chinese_error(client, users):
    _death_run(users)
    clue = Clue.objects.get()
    client.force_login(users["zhandian_jingban"])
    resp = client.post(reverse("monitoring:clue_detail", args=[clue.pk]),
                       {"result": "confirmed", "finding": "已核实死亡证明"})
    assert resp.status_code == 200 and "确认死亡须填写核实的死亡日期" in resp.content.decode()
    assert Clue.objects.get().status == "open"


def test_county_summary_counts_open_overdue_and_closed_per_township(client, users):
    """§1-5: per township the county sees open, overdue and closed clues and how long closing took."""
    _death_run(users)
    _death_run(users)
    first, second = Clue.objects.order_by("id")
    Clue.objects.update(due_date=timezone.localdate() - dt.timedelta(days=1))
    services.clue_record_finding(actor=users["zhandian_jingban"], clue=second, confirmed=False,
                                 finding="入户核实本人健在，系误报")
    closed_at = Clue.objects.get(pk=second.pk).closed_at
    Clue.objects.filter(pk=second.pk).update(created_at=closed_at - dt.timedelta(days=4, hours=12))
    client.force_login(users["wuzhi_minzheng"])
    rows = client.get(reverse("monitoring:clue_summary")).context["rows"]
    assert [(r["township__name"], r["open"], r["overdue"], r["closed"], r["unfounded"], r["avg_days"])
            for r in rows] == [("詹店镇", 1, 1, 1, 1, 4.5)]
    client.force_login(users["wenxian_minzheng"])  # another county: nothing of 武陟县
    assert list(client.get(reverse("monitoring:clue_summary")).context["rows"]) == []


def test_population_snapshot_chart_and_audited_export(client, users):
    """§1 counts by category per township month by month; the Excel export is audited."""
    enrolled("dibao", members=3)
    enrolled("tekun_dispersed")
    services.snapshot_build(month=timezone.localdate())
    cell = MonthlySnapshot.objects.get(category="dibao")
    assert (cell.township_id, cell.households, cell.persons) == ("410823101", 1, 3)
    client.force_login(users["wuzhi_minzheng"])
    page = client.get(reverse("monitoring:population"))
    html = page.content.decode()
    assert "<svg" in html and "低保 1" in html and "<script" not in html.split("<main")[1].split("</main>")[0]
    resp = client.get(reverse("monitoring:population") + "?export=xlsx")
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(resp.content))
    trend = [list(r) for r in book["月度趋势"].iter_rows(values_only=True)]
    assert trend[1][:2] == ["低保", "户数"] and trend[1][-1] == 1 and trend[2][-1] == 3
    assert ("詹店镇", "低保", 1, 3) in [tuple(r) for r in book["分地区"].iter_rows(values_only=True)]
    assert AuditEvent.objects.filter(action="monitoring.export", actor=users["wuzhi_minzheng"]).exists()
    client.force_login(users["zhandian_jingban"])
    assert client.get(reverse("monitoring:population")).status_code == 404


# --- API ----------------------------------------------------------------------------------------------------

def _api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_api_upload_returns_status_and_counts(users):
    _, person, _ = enrolled("dibao")
    data = xlsx([["所有人", "身份证号码", "号牌号码"], [person.name, person.reveal_id_number(), "豫H1"]])
    with committing():
        resp = _api(users["wuzhi_minzheng"]).post("/api/v1/comparison-runs/", {
            "source": "vehicle", "file": SimpleUploadedFile("v.xlsx", data)}, format="multipart")
    assert resp.status_code == 202, resp.content
    run_id = resp.json()["id"]
    detail = _api(users["wuzhi_minzheng"]).get(f"/api/v1/comparison-runs/{run_id}/").json()
    assert detail["status"] == "succeeded" and detail["rows_matched"] == 1 and detail["clues_created"] == 1
    assert _api(users["wenxian_minzheng"]).get(f"/api/v1/comparison-runs/{run_id}/").status_code == 404
    assert _api(users["wuzhi_choucha"]).post("/api/v1/comparison-runs/", {"source": "vehicle"}).status_code == 403


def test_api_clue_finding_action(users):
    _death_run(users)
    clue = Clue.objects.get()
    api = _api(users["zhandian_jingban"])
    listed = api.get("/api/v1/clues/?status=open").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [clue.pk]
    bad = api.post(f"/api/v1/clues/{clue.pk}/finding/", {"confirmed": False, "finding": ""}, format="json")
    assert bad.status_code == 400
    ok = api.post(f"/api/v1/clues/{clue.pk}/finding/",
                  {"confirmed": True, "finding": "已核实死亡医学证明", "deceased_on": "2026-10-01"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed" and ok.json()["followup"] == "exit"
    assert _api(users["xitao_jingban"]).get(f"/api/v1/clues/{clue.pk}/").status_code == 404
    assert _api(users["wuzhi_minzheng"]).post(f"/api/v1/clues/{clue.pk}/finding/", {}).status_code == 403


def test_unregistered_discovery_clue_reaches_its_township_on_pages_and_api(client, users):
    """A 主动发现 clue about a person not registered here shows name, masked ID and 未登记 to the township
    (list, detail with the 建档 link, API `unregistered: true`) and stays out of another township's reach."""
    from tests.factories import make_id

    run = upload(users["wuzhi_minzheng"], "rural", xlsx([["户主姓名", "户主身份证号码", "监测对象类型", "乡镇", "村"],
                                                         ["戊某", make_id("410823"), "脱贫不稳定户", "詹店镇", "何营东村"],
                                                         ["庚某", make_id("410823"), "边缘易致贫户", "", ""]]))
    clue = Clue.objects.get()
    client.force_login(users["wuzhi_minzheng"])
    assert "已派乡镇 1 人，" in client.get(reverse("monitoring:run_detail", args=[run.pk])).content.decode()
    client.force_login(users["zhandian_jingban"])
    page = client.get(reverse("monitoring:clue_list")).content.decode()
    assert "戊某" in page and "未登记" in page and clue.subject_id_masked in page
    detail = client.get(reverse("monitoring:clue_detail", args=[clue.pk])).content.decode()
    link = f'{reverse("cases:household_create")}?village=410823101200'
    assert "尚未在本系统登记" in detail and link in detail
    form = client.get(link).content.decode()  # the new-household form opens with the clue's village chosen
    assert 'value="410823101200" selected' in form
    api = APIClient()
    api.force_authenticate(users["zhandian_jingban"])
    row = api.get(f"/api/v1/clues/{clue.pk}/").json()
    assert (row["person"], row["household"], row["unregistered"], row["person_name"]) == (None, None, True, "戊某")
    client.force_login(users["xitao_jingban"])
    assert client.get(reverse("monitoring:clue_detail", args=[clue.pk])).status_code == 404
    other = client.get(link).content.decode()  # another township's village is not even offered
    assert other.count("<form") and "410823101200" not in other


def test_unregistered_clue_is_linked_to_the_household_once_it_is_registered(client, users):
    """After the township registers the family, the clue about the once-unknown person shows the new file
    and one click attaches it (same ID, found by its blind index); audited; an ID that differs is refused."""
    from core.models import AuditEvent
    from tests.factories import HouseholdFactory, PersonFactory, make_id

    idn = make_id("410823")
    upload(users["wuzhi_minzheng"], "rural", xlsx([["户主姓名", "户主身份证号码", "监测对象类型", "乡镇", "村"],
                                                   ["己某", idn, "脱贫不稳定户", "詹店镇", "何营东村"]]))
    clue = Clue.objects.get()
    client.force_login(users["zhandian_jingban"])
    url = reverse("monitoring:clue_detail", args=[clue.pk])
    assert "此人已在本系统登记" not in client.get(url).content.decode()
    assert client.post(url, {"link_person": "1"}).status_code == 404  # nobody to link yet
    elsewhere = PersonFactory(household=HouseholdFactory(village="410823102200"), id_number=idn)  # 西陶镇
    assert "此人已在本系统登记" not in client.get(url).content.decode()  # not in 詹店镇's reach
    with pytest.raises(Exception, match="不在您的管辖范围内"):
        services.clue_link_person(actor=users["zhandian_jingban"], clue=clue, person=elsewhere)
    elsewhere.delete()
    household = HouseholdFactory(village="410823101200")
    person = PersonFactory(household=household, id_number=idn, name="己某")
    other = PersonFactory(household=household, id_number=make_id("410823"))
    with pytest.raises(Exception, match="身份证号码与线索不一致"):
        services.clue_link_person(actor=users["zhandian_jingban"], clue=clue, person=other)
    assert "此人已在本系统登记" in client.get(url).content.decode()
    assert client.post(url, {"link_person": "1"}).status_code == 302
    clue.refresh_from_db()
    assert (clue.person_id, clue.household_id, clue.status) == (person.pk, household.pk, "open")
    assert AuditEvent.objects.filter(action="clue.link_person", object_id=str(clue.pk)).exists()
    client.force_login(users["xitao_jingban"])
    assert client.post(url, {"link_person": "1"}).status_code == 404
