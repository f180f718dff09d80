"""A holiday change recomputes open deadlines (applications, undelivered notices, complaints) and says what
moved; batch step deadlines that moved are named too; a final case keeps its deadline."""
import datetime as dt

from accounts.parameters import services as calendar
from audit import services as audit_services
from cases.dibao import workflow
from cases.models import Application
from core import workdays
from core.models import AuditEvent
from tests.cases.dibao_helpers import poor_household, seed_standards

ACCEPTED = dt.date(2026, 11, 2)  # a Monday
HOLIDAY = dt.date(2026, 11, 10)  # a Tuesday inside every window below


def test_holiday_moves_open_deadlines_and_says_what(users, client):
    seed_standards()
    cw = users["zhandian_jingban"]
    app = workflow.application_accept(actor=cw, household=poor_household(), reason="x", accepted_on=ACCEPTED)
    done = workflow.application_accept(actor=cw, household=poor_household(), reason="x", accepted_on=ACCEPTED)
    workflow.transition(actor=cw, application=done, action="withdraw", reason="申请人撤回")
    hh = poor_household()
    complaint = audit_services.complaint_register(
        actor=users["wuzhi_minzheng"], source="hotline", complainant_name="匿名", category="missed",
        summary="应保未保", content="反映", region=hh.township, household=hh, received_on=ACCEPTED)
    old_app, old_done, old_complaint = app.deadline, Application.objects.get(pk=done.pk).deadline, complaint.due_on

    row = calendar.workday_override_set(actor=users["shi_admin"], date=HOLIDAY, is_workday=False,
                                        name="临时放假", reason="测试")
    app.refresh_from_db()
    complaint.refresh_from_db()
    assert app.deadline == workdays.add_workdays(old_app, 1) and app.deadline > old_app
    assert complaint.due_on > old_complaint
    assert Application.objects.get(pk=done.pk).deadline == old_done  # final: untouched
    assert f"{app.number} 办结期限 {old_app:%Y-%m-%d} → {app.deadline:%Y-%m-%d}" in row.moved
    assert any(complaint.number in line for line in row.moved)
    assert AuditEvent.objects.filter(action="deadline.recomputed", object_id=str(app.pk)).exists()
    assert app.events.filter(action="deadline").exists()

    moved = calendar.workday_override_delete(actor=users["shi_admin"], date=HOLIDAY, reason="撤销")
    app.refresh_from_db()
    assert app.deadline == old_app and any(app.number in line for line in moved)


def test_calendar_page_reports_what_moved(users, client):
    seed_standards()
    app = workflow.application_accept(actor=users["zhandian_jingban"], household=poor_household(), reason="x",
                                      accepted_on=ACCEPTED)
    client.force_login(users["shi_admin"])
    r = client.post("/calendar/?year=2026", {"date": HOLIDAY.isoformat(), "is_workday": "0", "name": "临时放假",
                                             "reason": "测试"}, follow=True)
    text = r.content.decode()
    assert "已重新计算 1 项期限" in text and app.number in text
