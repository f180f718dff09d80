"""§2/§12 time limits, re-checks, 渐退期, exit with notice."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import tasks
from cases.dibao import deadlines as dibao_deadlines
from cases.dibao import rechecks as workflow
from cases.dibao import workflow as dibao_workflow
from cases.models import Application, Entitlement, Notice, Recheck
from core import months, workdays
from tests.cases.dibao_helpers import poor_household, seed_standards

pytestmark = pytest.mark.django_db


def test_deadline_25_workdays_across_national_day_2026():
    """§2 25 working days from 2026-09-25 skip the Mid-Autumn/National Day holidays (not weekends only)."""
    assert dibao_deadlines.compute_deadline(dt.date(2026, 9, 25)) == dt.date(2026, 11, 5)  # weekends only: 10-30
    assert dibao_deadlines.compute_deadline(dt.date(2026, 9, 25), extended=True) == dt.date(2026, 11, 26)


def test_deadline_into_2027_weekends_only_with_warning(users):
    """§2 a deadline in 2027 (unknown to chinesecalendar) still computes, weekends only, and warns."""
    seed_standards()
    hh = poor_household()
    app = dibao_workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="困难",
                                      accepted_on=dt.date(2026, 12, 15))
    assert app.deadline == dt.date(2027, 1, 19)  # 1 Jan 2027 counted as a working day (holidays unknown)
    info = dibao_deadlines.deadline_info(app, today=dt.date(2026, 12, 20))
    assert info.warnings and "2027年的法定节假日尚未录入" in info.warnings[0]


def test_deadline_states_overdue_near_ok(users):
    """§2 every case shows its deadline; overdue and nearly-due cases are flagged."""
    seed_standards()
    app = dibao_workflow.application_accept(actor=users["zhandian_jingban"], household=poor_household(), reason="困难",
                                      accepted_on=dt.date(2026, 10, 12))
    assert dibao_deadlines.deadline_info(app, today=app.deadline + dt.timedelta(days=1)).state == "overdue"
    assert dibao_deadlines.deadline_info(app, today=app.deadline - dt.timedelta(days=1)).state == "near"
    assert dibao_deadlines.deadline_info(app, today=app.accepted_on).state == "ok"


def test_deadline_infos_of_a_page_equal_one_by_one(users):
    """A list page reads the calendar once (deadline_infos): the same states, days left and warnings as per row."""
    seed_standards()
    apps = [dibao_workflow.application_accept(actor=users["zhandian_jingban"], household=poor_household(),
                                              reason="困难", accepted_on=day)
            for day in (dt.date(2026, 10, 12), dt.date(2026, 11, 20), dt.date(2026, 12, 15))]
    Application.objects.filter(pk=apps[1].pk).update(status=Application.Status.WITHDRAWN)
    apps[1].refresh_from_db()
    for today in (dt.date(2026, 10, 12), dt.date(2026, 11, 10), dt.date(2026, 12, 20), dt.date(2027, 2, 1)):
        assert dibao_deadlines.deadline_infos(apps, today) == [dibao_deadlines.deadline_info(a, today) for a in apps]


@pytest.fixture
def ent(users):
    seed_standards()
    hh = poor_household()
    return Entitlement.objects.create(household=hh, category="dibao", persons_covered=3,
                                      monthly_amount=Decimal("900.00"), start_month=dt.date(2025, 11, 1),
                                      next_recheck=dt.date(2026, 11, 10), county_id=hh.county_id,
                                      township_id=hh.township_id, village_id=hh.village_id)


def test_monthly_recheck_list_is_idempotent_and_only_due_month(ent):
    """§2 the re-check list is generated monthly from next_recheck."""
    later = Entitlement.objects.create(
        household=poor_household(), category="dibao", persons_covered=1, monthly_amount=Decimal("100"),
        start_month=dt.date(2026, 1, 1), next_recheck=dt.date(2026, 12, 3), county_id=ent.county_id,
        township_id=ent.township_id, village_id=ent.village_id)
    assert workflow.recheck_list_month(month=dt.date(2026, 11, 1)) == 1
    assert workflow.recheck_list_month(month=dt.date(2026, 11, 1)) == 0
    r = Recheck.objects.get()
    assert r.entitlement == ent and r.due_on == dt.date(2026, 11, 10)
    assert not Recheck.objects.filter(entitlement=later).exists()


def test_beat_task_lists_current_month(ent, monkeypatch):
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: dt.date(2026, 11, 20))
    assert tasks.recheck_list_month.run() == 1


def _recheck(ent):
    workflow.recheck_list_month(month=dt.date(2026, 11, 1))
    return Recheck.objects.get(entitlement=ent)


def test_recheck_continue_moves_next_recheck(users, ent):
    r = workflow.recheck_complete(actor=users["zhandian_jingban"], recheck=_recheck(ent), outcome="continue",
                                  note="入户复核，家庭情况无变化")
    ent.refresh_from_db()
    assert r.outcome == "continue" and ent.status == "active"
    # poor_household's head is of working age with employment "none": unstable income, 6-month cycle
    assert ent.next_recheck == months.add_months(timezone.localdate(), 6)


def test_recheck_continue_stable_household_twelve_months(users, ent):
    """§2 re-check yearly for stable households (no working-age member with unstable income)."""
    ent.household.members.update(work_capacity="none")
    workflow.recheck_complete(actor=users["zhandian_jingban"], recheck=_recheck(ent), outcome="continue",
                              note="家庭情况无变化")
    ent.refresh_from_db()
    assert ent.next_recheck == months.add_months(timezone.localdate(), 12)


def test_recheck_adjust_amount(users, ent):
    workflow.recheck_complete(actor=users["zhandian_jingban"], recheck=_recheck(ent), outcome="adjust",
                              note="子女毕业就业，收入增加", new_amount=Decimal("455.555"))
    ent.refresh_from_db()
    assert ent.monthly_amount == Decimal("455.56")
    assert Recheck.objects.get().amount_before == Decimal("900.00")


def test_recheck_phase_out_keeps_benefit_then_exits_with_notice(users, ent, monkeypatch):
    """§2 渐退期: income above the standard because a member found work keeps the benefit N months (default 6)."""
    today = dt.date(2026, 11, 20)
    monkeypatch.setattr(timezone, "localdate", lambda: today)
    workflow.recheck_complete(actor=users["zhandian_jingban"], recheck=_recheck(ent), outcome="phase_out",
                              note="户主在县城稳定就业，家庭月人均收入超过低保标准")
    ent.refresh_from_db()
    assert ent.status == Entitlement.Status.PHASING_OUT and ent.end_month == dt.date(2027, 5, 1)
    notice = Notice.objects.get(entitlement=ent)
    assert notice.kind == Notice.Kind.TERMINATION and "渐退" in notice.reasons
    assert workflow.phase_out_expire(on=dt.date(2027, 5, 15)) == 0  # May is still paid
    assert workflow.phase_out_expire(on=dt.date(2027, 6, 1)) == 1
    ent.refresh_from_db()
    assert ent.status == Entitlement.Status.ENDED


def test_phase_out_months_bounded_by_param(users, ent):
    with pytest.raises(ValidationError, match="渐退期为1至6个月"):
        workflow.recheck_complete(actor=users["zhandian_jingban"], recheck=_recheck(ent), outcome="phase_out",
                                  note="就业", phase_out_months=7)


def test_recheck_exit_issues_termination_notice(users, ent):
    """§2/§12 exit only with a written notice with reasons."""
    workflow.recheck_complete(actor=users["zhandian_jingban"], recheck=_recheck(ent), outcome="exit",
                              note="家庭新购置营运车辆一辆，价值8万元")
    ent.refresh_from_db()
    assert ent.status == Entitlement.Status.ENDED
    notice = Notice.objects.get(entitlement=ent)
    assert notice.due_by == workdays.add_workdays(notice.decided_on, 3)


def test_entitlement_end_service(users, ent):
    """entitlement_end(*, actor, entitlement, reason): the call monitoring makes after a verified clue."""
    with pytest.raises(ValidationError, match="写明经调查核实的理由"):
        workflow.entitlement_end(actor=users["zhandian_jingban"], entitlement=ent, reason="疑点")
    with pytest.raises(ValidationError, match="不在您的办理范围内"):
        workflow.entitlement_end(actor=users["xitao_jingban"], entitlement=ent, reason="经入户核实已迁出本市")
    with pytest.raises(ValidationError, match="只有乡镇"):
        workflow.entitlement_end(actor=users["wuzhi_choucha"], entitlement=ent, reason="经入户核实已迁出本市")
    notice = workflow.entitlement_end(actor=users["zhandian_jingban"], entitlement=ent,
                                      reason="经入户核实，全家已于2026年10月迁出本市", effective_month=dt.date(2026, 11, 15))
    ent.refresh_from_db()
    assert ent.status == "ended" and ent.end_month == dt.date(2026, 11, 1)
    assert notice.kind == "termination" and notice.effective_month == dt.date(2026, 11, 1)
    with pytest.raises(ValidationError, match="已终止"):
        workflow.entitlement_end(actor=users["zhandian_jingban"], entitlement=ent, reason="再次终止试试看")


def test_confirm_recheck_cycle_six_months_for_unstable_income(users, monkeypatch):
    """§2 re-check every 6 months for households with working-age members and unstable income."""
    from tests.cases.dibao_helpers import to_awaiting_decision

    seed_standards()
    hh = poor_household()
    hh.members.filter(relationship="head").update(employment="flexible")
    app = dibao_workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="困难")
    to_awaiting_decision(users["zhandian_jingban"], app, monkeypatch)
    dibao_workflow.transition(actor=users["zhandian_shenpi"], application=app, action="confirm")
    app.refresh_from_db()
    assert app.status == Application.Status.CONFIRMED
    assert app.entitlement.next_recheck == months.add_months(app.entitlement.start_month, 6)
