import datetime as dt

import pytest
from django.utils import timezone

from accounts.parameters import services as parameter_services
from core.models import Alert, WorkdayOverride
from funds import deadlines, tasks
from funds.models import PaymentBatch
from tests.funds.conftest import make_paid

pytestmark = pytest.mark.django_db
D = dt.date


def test_deadlines_january_2026_bank_day_on_saturday_moves_to_friday(db):
    """§6 5th/8th/10th; 10 Jan 2026 is a Saturday → due Friday 9 Jan (last working day before)."""
    assert deadlines.schedule(D(2026, 1, 1)) == {"data": D(2026, 1, 5), "finance": D(2026, 1, 8),
                                                 "bank": D(2026, 1, 9)}


def test_deadlines_october_2026_national_day(db):
    """§6 National Day 2026 (1–7 Oct off): the 5th moves back to 30 Sep; the 8th is a working day; the 10th is a
    make-up working Saturday and stays."""
    assert deadlines.schedule(D(2026, 10, 1)) == {"data": D(2026, 9, 30), "finance": D(2026, 10, 8),
                                                  "bank": D(2026, 10, 10)}


def test_deadlines_2027_weekends_until_city_enters_holidays(db, users):
    """§6 2027 is beyond chinesecalendar: weekends still move deadlines, a warning asks for the holidays, and the
    city's entered holidays (Spring Festival) are honoured."""
    from core import workdays

    assert deadlines.schedule(D(2027, 1, 1)) == {"data": D(2027, 1, 5), "finance": D(2027, 1, 8),
                                                 "bank": D(2027, 1, 8)}  # 10 Jan 2027 is a Sunday
    assert workdays.warnings_for(D(2027, 2, 5)) == ["2027年的法定节假日尚未录入，期限暂按周末计算，请市级管理员补录"]
    admin = users["shi_admin"]
    for day in (5, 8, 9, 10):  # city enters the 2027 Spring Festival closure
        WorkdayOverride.objects.create(date=D(2027, 2, day), is_workday=False, name="春节", created_by=admin)
    assert deadlines.schedule(D(2027, 2, 1)) == {"data": D(2027, 2, 4), "finance": D(2027, 2, 4),
                                                 "bank": D(2027, 2, 4)}


def test_deadline_days_are_params(db, users):

    parameter_services.parameter_set(actor=users["shi_admin"], key="payment.data_day", value="6",
                         effective_from=D(2026, 1, 1), reason="市局通知调整")
    assert deadlines.schedule(D(2026, 6, 1))["data"] == D(2026, 6, 5)  # 6 Jun 2026 is a Saturday


def _stamp(batch, **days):
    PaymentBatch.objects.filter(pk=batch.pk).update(**{
        k: timezone.make_aware(dt.datetime.combine(v, dt.time(10))) for k, v in days.items()})
    batch.refresh_from_db()
    return batch


def test_deadline_states_met_missed_overdue_pending(users, standards, wuzhi):
    from funds import services

    make_paid("dibao", "300.00", 1)
    batch = services.batch_draft(actor=users["wuzhi_minzheng"], county=wuzhi, month=D(2026, 10, 1))
    batch = _stamp(batch, funds_requested_at=D(2026, 9, 30), transferred_at=D(2026, 10, 9))
    got = {s.step.key: s.state for s in deadlines.states(batch, D(2026, 10, 9))}
    assert got == {"data": "met", "finance": "missed", "bank": "pending"}
    got = {s.step.key: s.state for s in deadlines.states(batch, D(2026, 10, 12))}
    assert got["bank"] == "overdue"


def test_beat_drafts_every_county_on_the_first(users, standards):
    """§6 Celery beat drafts each county's batch on the 1st (system actor), once."""
    make_paid("dibao", "300.00", 1)
    make_paid("dibao", "300.00", 1, village="410825101201")
    assert tasks.draft_monthly_batches("2026-12-01") == 2
    assert tasks.draft_monthly_batches("2026-12-01") == 0
    assert set(PaymentBatch.objects.values_list("county_id", flat=True)) == {"410823", "410825"}
    assert PaymentBatch.objects.filter(created_by__isnull=True).count() == 2


def test_reminder_two_working_days_before_and_escalation_when_overdue(users, standards, wuzhi):
    """§6 reminders two working days before each deadline; an overdue step goes to the county and the city."""
    from funds import services

    make_paid("dibao", "300.00", 1)
    services.batch_draft(actor=users["wuzhi_minzheng"], county=wuzhi, month=D(2026, 12, 1))
    # December 2026: data due Fri 4 Dec → reminded Wed 2 Dec (two working days before)
    tasks.remind_and_escalate("2026-12-01")
    assert not Alert.objects.exists()
    tasks.remind_and_escalate("2026-12-02")
    a = Alert.objects.get()
    assert a.region_code == "410823" and a.role == "county_officer" and a.level == "warning"
    assert "数据报送一卡通并申请资金" in a.message and "12月04日" in a.message
    tasks.remind_and_escalate("2026-12-02")  # idempotent
    assert Alert.objects.count() == 1
    tasks.remind_and_escalate("2026-12-07")  # the 4th passed without a funds request
    overdue = Alert.objects.filter(level="overdue")
    assert {(x.region_code, x.role) for x in overdue} == {("410823", "county_officer"), ("410800", "city_admin")}
    # finance is reminded for its own step (due Tue 8 Dec → reminded Fri 4 Dec)
    tasks.remind_and_escalate("2026-12-04")
    assert Alert.objects.filter(role="finance_officer", level="warning").exists()


def test_setup_periodic_tasks_knows_funds_schedules(db):
    from core.schedules import all_schedules

    names = all_schedules()
    assert names["每月1日生成发放批次"]["crontab"]["day_of_month"] == "1"
    assert names["发放时限提醒与逾期督办"]["task"] == "funds.tasks.remind_and_escalate"
