"""§2/§5 pages: to-do, application detail and transitions, meeting, deadlines, notices; out of scope is 404."""
import datetime as dt

import pytest

from cases.dibao import rechecks as dibao_rechecks
from cases.dibao import workflow
from cases.models import Application, Notice
from tests.cases.dibao_helpers import investigate, meeting, poor_household, seed_standards

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(users):
    seed_standards()
    return workflow.application_accept(actor=users["zhandian_jingban"], household=poor_household(), reason="困难")


def test_household_page_links_to_applications_and_accept_button(client, users, app):
    client.force_login(users["zhandian_jingban"])
    html = client.get(f"/households/{app.household_id}/").content.decode()
    assert f"/applications/{app.pk}/" in html and "受理低保申请" not in html and "办理中" in html
    fresh = poor_household()
    assert "受理低保申请" in client.get(f"/households/{fresh.pk}/").content.decode()
    client.force_login(users["heying_cun"])  # village staff see the case, cannot accept
    assert f"/applications/{app.pk}/" in client.get(f"/households/{app.household_id}/").content.decode()
    assert "受理低保申请" not in client.get(f"/households/{fresh.pk}/").content.decode()


def test_accept_through_the_form(client, users):
    seed_standards()
    hh = poor_household()
    client.force_login(users["zhandian_jingban"])
    page = client.get(f"/households/{hh.pk}/apply/")
    assert page.status_code == 200 and "预测算" in page.content.decode()
    head = hh.members.get(relationship="head")
    r = client.post(f"/households/{hh.pk}/apply/", {"applicant": head.pk, "reason": "因病致贫",
                                                      "accepted_on": dt.date.today().isoformat()})
    app = Application.objects.get(household=hh)
    assert r.status_code == 302 and r["Location"] == f"/applications/{app.pk}/"


def test_out_of_scope_application_is_404(client, users, app):
    """§0 out of scope answers 404, never 403."""
    client.force_login(users["xiangyun_jingban"])
    assert client.get(f"/applications/{app.pk}/").status_code == 404
    assert client.get(f"/applications/{app.pk}/record_investigation/").status_code == 404
    assert client.post(f"/applications/{app.pk}/withdraw/", {"reason": "x"}).status_code == 404
    client.force_login(users["wenxian_minzheng"])
    assert client.get(f"/applications/{app.pk}/").status_code == 404


def test_county_officer_reads_but_has_no_actions(client, users, app):
    client.force_login(users["wuzhi_minzheng"])
    html = client.get(f"/applications/{app.pk}/").content.decode()
    assert app.number in html and "下一步" not in html
    assert client.get("/todo/").status_code == 404


def test_investigation_form_moves_state_and_shows_assessment(client, users, app):
    client.force_login(users["zhandian_jingban"])
    r = client.post(f"/applications/{app.pk}/record_investigation/", {
        "investigated_on": app.accepted_on.isoformat(), "investigator_1": "刘洋", "investigator_2": "刘洋",
        "findings": "入户", "verification_result": "无异常"})
    assert r.status_code == 200 and "两名调查人不能是同一人" in r.content.decode()
    r = client.post(f"/applications/{app.pk}/record_investigation/", {
        "investigated_on": app.accepted_on.isoformat(), "investigator_1": "刘洋", "investigator_2": "马强",
        "findings": "入户", "verification_result": "无异常"})
    assert r.status_code == 302
    html = client.get(f"/applications/{app.pk}/").content.decode()
    assert "月人均收入" in html and "待集体研究" in html and "登记入户调查和核对结果" in html


def test_illegal_move_through_the_page_shows_chinese_message(client, users, app):
    client.force_login(users["zhandian_jingban"])
    r = client.post(f"/applications/{app.pk}/close_publicity/", {"reason": ""})
    assert "不能进行“公示期满，提交审核确认”" in r.content.decode()


def test_meeting_page_decides_several_cases(client, users, app):
    cw = users["zhandian_jingban"]
    other = workflow.application_accept(actor=cw, household=poor_household(), reason="困难")
    investigate(cw, app)
    investigate(cw, other)
    client.force_login(cw)
    assert app.number in client.get("/meetings/new/").content.decode()
    r = client.post("/meetings/new/", {
        "held_on": dt.date.today().isoformat(), "chair": "王镇长", "attendees": "王镇长、李书记、刘洋",
        f"decision_{app.pk}": "approve", f"decision_{other.pk}": "refuse", f"note_{other.pk}": "子女有赡养能力"})
    assert r.status_code == 302
    app.refresh_from_db()
    other.refresh_from_db()
    assert app.status == "publicity" and other.status == "awaiting_decision" and app.meeting_id == other.meeting_id
    html = client.get(r["Location"]).content.decode()
    assert "联席会议纪要" in html and "子女有赡养能力" in html


def test_leader_confirmation_page_and_refusal_notice(client, users, app):
    """§2 refusal produces a printable notice with reasons and the right to object."""
    cw, leader = users["zhandian_jingban"], users["zhandian_shenpi"]
    investigate(cw, app)
    meeting(cw, [(app, "refuse", "收入超标")])
    client.force_login(leader)
    assert app.number in client.get("/todo/").content.decode()
    r = client.post(f"/applications/{app.pk}/refuse/", {"reason": "家庭收入超过低保标准"})
    assert r.status_code == 302
    notice = Notice.objects.get(application=app)
    html = client.get(f"/notices/{notice.pk}/").content.decode()
    for words in ("不予确认通知书", "家庭收入超过低保标准", "申请复核", "行政复议", "行政诉讼", "武陟县人民政府",
                  "詹店镇人民政府"):
        assert words in html
    assert f"/notices/{notice.pk}/" in client.get(f"/households/{app.household_id}/").content.decode()
    r = client.post(f"/notices/{notice.pk}/deliver/", {"delivered_on": dt.date.today().isoformat()})
    notice.refresh_from_db()
    assert notice.delivered_on == dt.date.today()


def test_deadlines_page_lists_overdue(client, users):
    seed_standards()
    old = workflow.application_accept(actor=users["zhandian_jingban"], household=poor_household(), reason="困难",
                                      accepted_on=dt.date.today() - dt.timedelta(days=60))
    client.force_login(users["wuzhi_minzheng"])
    html = client.get("/deadlines/").content.decode()
    assert old.number in html and "已超期" in html and "詹店镇" in html
    client.force_login(users["wenxian_minzheng"])
    assert old.number not in client.get("/deadlines/").content.decode()
    client.force_login(users["shi_admin"])  # the city sees every county's overdue work
    html = client.get("/deadlines/").content.decode()
    assert old.number in html and "武陟县" in html


def test_decisions_of_the_month_for_spot_checks(users, app, monkeypatch):
    """§5 the month's township decisions, refusals included, for the county sample."""
    from cases.dibao import selectors
    from tests.cases.dibao_helpers import to_awaiting_decision

    to_awaiting_decision(users["zhandian_jingban"], app, monkeypatch)
    workflow.transition(actor=users["zhandian_shenpi"], application=app, action="refuse", reason="收入超标")
    app.refresh_from_db()
    rows = selectors.application_decisions(user=users["wuzhi_choucha"], month=app.decided_on)
    assert [a.pk for a in rows] == [app.pk]
    assert not selectors.application_decisions(user=users["wenxian_minzheng"], month=app.decided_on).exists()


def test_recheck_and_end_pages(client, users):
    from decimal import Decimal

    from cases.models import Entitlement, Recheck

    seed_standards()
    hh = poor_household()
    ent = Entitlement.objects.create(household=hh, category="dibao", persons_covered=3, monthly_amount=Decimal("800"),
                                     start_month=dt.date(2025, 1, 1), next_recheck=dt.date.today(),
                                     county_id=hh.county_id, township_id=hh.township_id, village_id=hh.village_id)
    dibao_rechecks.recheck_list_month(month=dt.date.today())
    r = Recheck.objects.get()
    client.force_login(users["zhandian_jingban"])
    assert hh.head_name in client.get("/rechecks/").content.decode()
    assert client.get(f"/rechecks/{r.pk}/").status_code == 200
    resp = client.post(f"/rechecks/{r.pk}/", {"outcome": "continue", "note": "情况无变化"})
    assert resp.status_code == 302
    resp = client.post(f"/entitlements/{ent.pk}/end/", {"reason": "经入户核实，全家已迁出本市",
                                                         "effective_month": dt.date.today().strftime("%Y-%m")})
    assert resp.status_code == 302 and "/notices/" in resp["Location"]
    client.force_login(users["xiangyun_jingban"])
    assert client.get(f"/entitlements/{ent.pk}/end/").status_code == 404


def test_buttons_follow_the_rules(client, users, app):
    """The page offers only moves the rules allow now: no early close of publicity; no confirm of a refusal."""
    cw = users["zhandian_jingban"]
    investigate(cw, app)
    meeting(cw, [(app, "approve", "")])
    client.force_login(cw)
    html = client.get(f"/applications/{app.pk}/").content.decode()
    assert "公示期满，提交审核确认" not in html and "期满后可提交审核确认" in html and "公示异议" in html
    other = workflow.application_accept(actor=cw, household=poor_household(), reason="困难")
    investigate(cw, other)
    meeting(cw, [(other, "refuse", "收入超标")])
    client.force_login(users["zhandian_shenpi"])
    html = client.get(f"/applications/{other.pk}/").content.decode()
    assert f"/applications/{other.pk}/refuse/" in html and f"/applications/{other.pk}/confirm/" not in html


def test_residence_application_through_the_pages(client, users):
    """§2 居住地申请: the residence township finds the hukou household by full ID number (audited) and accepts;
    the hukou township still sees the case."""
    from core.models import AuditEvent
    from tests.factories import make_id

    seed_standards()
    hh = poor_household()  # hukou 詹店镇
    head = hh.members.get(relationship="head")
    raw = head.reveal_id_number()
    client.force_login(users["xitao_jingban"])
    r = client.post("/applications/residence/", {"lookup": "1", "id_number": make_id("410823")})
    assert "没有该身份证号码" in r.content.decode()
    r = client.post("/applications/residence/", {"lookup": "1", "id_number": raw})
    assert hh.head_name in r.content.decode() and "居住证信息" in r.content.decode()
    assert AuditEvent.objects.filter(action="household.residence_lookup", actor=users["xitao_jingban"]).count() == 2
    r = client.post("/applications/residence/", {"household": hh.pk, "applicant": head.pk, "reason": "在西陶镇务工居住",
                                                 "accepted_on": dt.date.today().isoformat(),
                                                 "residence_permit": "豫居2025-0001"})
    app = Application.objects.get(household=hh)
    assert r.status_code == 302 and app.via_residence and app.handling_township_id == "410823102"
    client.force_login(users["zhandian_jingban"])
    html = client.get(f"/applications/{app.pk}/").content.decode()
    assert "本申请由西陶镇办理" in html
    client.force_login(users["xiangyun_jingban"])  # cannot reuse another township's looked-up household
    assert client.post("/applications/residence/", {"household": hh.pk, "applicant": head.pk, "reason": "x",
                                                    "accepted_on": dt.date.today().isoformat()}).status_code == 404


def test_home_todo_counts_match_the_todo_lists(client, users, app):
    """The home page counts the to-do groups in one statement (selectors.todo_counts); the counts are those of
    the to-do page's lists, for the caseworker and for the leader who decides (not what they registered)."""
    from cases.dibao import selectors

    jingban, leader = users["zhandian_jingban"], users["zhandian_shenpi"]
    investigate(jingban, workflow.application_accept(actor=jingban, household=poor_household(), reason="困难"))
    waiting = [workflow.application_accept(actor=jingban, household=poor_household(), reason="困难") for _ in range(3)]
    Application.objects.filter(pk__in=[a.pk for a in waiting]).update(status=Application.Status.AWAITING_DECISION)
    Application.objects.filter(pk=waiting[0].pk).update(registered_by=leader)
    for user in (jingban, leader):
        lists, counts = selectors.todo_for(user=user), selectors.todo_counts(user=user)
        assert counts["groups"] == [(label, len(rows)) for label, rows in lists["groups"].values()]
        assert (counts["notices"], counts["rechecks"]) == (len(lists["notices"]), len(lists["rechecks"]))
    assert ("待审核确认", 2) in selectors.todo_counts(user=leader)["groups"]  # not the one the leader registered
    assert ("待入户调查核对", 1) in selectors.todo_counts(user=jingban)["groups"]
    Application.objects.filter(pk=waiting[1].pk).update(status=Application.Status.WITHDRAWN)
    assert ("待审核确认", 1) in selectors.todo_counts(user=leader)["groups"]  # compiled once, read afresh
    client.force_login(leader)
    assert "待审核确认" in client.get("/").content.decode()
