"""临时救助 services (§4): the township reserve fund and 小金额先行救助 with its paperwork deadline."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.scope import Action, can, require, scope_q
from cases.dibao import workflow
from cases.households.models import Household, Person
from cases.standards import selectors as standards
from cases.supervision import services
from cases.temporary_aid import limits
from cases.temporary_aid.models import EmergencyLocationRule, ReserveFund, ReserveFundEntry, TemporaryAid
from core import audit, params, workdays
from core.models import Region


def emergency_rule_active(county_code: str, on: dt.date) -> bool:
    return EmergencyLocationRule.objects.filter(county_id=county_code, start__lte=on).filter(
        Q(end__isnull=True) | Q(end__gte=on)).exists()


def full_procedure_cap(household: Household, on: dt.date | None = None) -> Decimal:
    """Larger amounts: at most N × the monthly 低保标准 (param temp_aid.cap_standard_months)."""
    on = on or timezone.localdate()
    std = standards.dibao_standard(household.county_id, household.hukou_type, on)
    return std * params.get("temp_aid.cap_standard_months", on)


def may_grant_here(*, township_code: str, household: Household, on: dt.date) -> bool:
    """Granted by the household's own (hukou or residence) township, or — when the county has switched on
    the epidemic/disaster rule — by the township where the emergency happened."""
    if household.township_id == township_code:
        return True
    return emergency_rule_active(township_code[:6], on)


def emergency_place_check(*, township_code: str, household: Household, emergency_place: str, on: dt.date) -> bool:
    """急难发生地 (§4) for every amount and track: True when the township acts as the place where the emergency
    happened (not the household's own township), which needs the county's switch and the place written down;
    raises otherwise. False for the household's own township."""
    if household.township_id == township_code:
        return False
    if not may_grant_here(township_code=township_code, household=household, on=on):
        raise ValidationError("该家庭不属于本乡镇；只有在县级启用“急难发生地救助”后才能由急难发生地乡镇实施救助")
    if not (emergency_place or "").strip():
        raise ValidationError({"emergency_place": "在急难发生地实施救助，请填写急难发生地（具体地点）"})
    return True


def _fund_for_update(township_code: str) -> ReserveFund:
    fund = ReserveFund.objects.select_for_update().filter(township_id=township_code).first()
    if fund is None:
        raise ValidationError("本乡镇尚未设立临时救助备用金")
    return fund


MAX_BALANCE = Decimal("9999999999.99")  # ReserveFund.balance: max_digits 12, decimal_places 2


def reserve_fund_top_up(*, actor, township: Region, amount: Decimal, note: str) -> ReserveFundEntry:
    """County civil affairs allocates money into a township's reserve fund."""
    require(actor, Action.PAYMENT_PREPARE, refuse="只有县级民政部门可以拨付备用金")
    q = scope_q(actor, Action.PAYMENT_PREPARE)
    if q.children and township.code[:6] != actor.region_id[:6]:
        raise ValidationError("只能向本县（市、区）的乡镇拨付备用金")
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "拨付金额须大于0"})
    with transaction.atomic():
        ReserveFund.objects.get_or_create(township=township, defaults={"county_id": township.code[:6]})
        fund = _fund_for_update(township.code)
        if fund.balance + amount > MAX_BALANCE:  # the column holds 12 digits; more would be a server error
            raise ValidationError({"amount": "拨付后备用金余额超出系统上限，请核对金额"})
        ReserveFund.objects.filter(pk=fund.pk).update(balance=F("balance") + amount, updated_at=timezone.now())
        fund.refresh_from_db(fields=["balance"])
        entry = ReserveFundEntry.objects.create(fund=fund, kind=ReserveFundEntry.Kind.TOP_UP, amount=amount,
                                                balance_after=fund.balance, note=note, created_by=actor)
        audit.record(actor=actor, action="reserve_fund.top_up", obj=fund, region=(fund.county_id, township.code, ""),
                     after={"amount": str(amount), "balance": str(fund.balance)}, reason=note)
    return entry


def disbursement_note(aid: TemporaryAid) -> str:
    """The ledger line of a 先行救助: the case number and village, never the recipient's name."""
    return f"先行救助 第{aid.pk}号"


def fast_grant(*, actor, household: Household, aid_type: str, cause: str, amount: Decimal, person: Person | None = None,
               emergency_place: str = "", linked_application: str = "", related_application=None,
               on: dt.date | None = None) -> TemporaryAid:
    """小金额先行救助: the township leader pays at once from the reserve fund (≤ 3,000 yuan, param); the
    supplementary paperwork is due within 5 working days (param)."""
    on = on or timezone.localdate()
    require(actor, Action.CASE_DECIDE, refuse="先行救助须由乡镇审批人签批")
    township = actor.region_id
    emergency_place_check(township_code=township, household=household, emergency_place=emergency_place, on=on)
    services.refuse_if_relative(actor=actor, household_id=household.pk)  # §12: not for one's own relative
    cap = params.get("temp_aid.fast_track_cap", on)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "救助金额须大于0"})
    if amount > cap:
        raise ValidationError({"amount": f"先行救助金额不能超过{cap}元，超出部分请按一般程序办理"})
    if not cause.strip():
        raise ValidationError({"cause": "请写明困难情形"})
    if person is not None and person.household_id != household.pk:
        raise ValidationError({"person": "受助人不属于该家庭"})
    if related_application is not None and related_application.household_id != household.pk:
        raise ValidationError({"related_application": "关联申请须为本家庭的申请"})
    due = workdays.add_workdays(on, params.get("temp_aid.paperwork_workdays", on))
    with transaction.atomic():
        limits.hold_household(household)  # first the household (another township may grant it), then the fund
        limits.guard_fast_grant(household=household, amount=amount, on=on)
        fund = _fund_for_update(township)
        if fund.balance < amount:
            raise ValidationError({"amount": f"备用金余额不足：当前余额{fund.balance}元"})
        aid = TemporaryAid.objects.create(
            household=household, person=person, aid_type=aid_type, track=TemporaryAid.Track.FAST, cause=cause,
            handling_township_id=township, emergency_place=emergency_place, amount=amount,
            status=TemporaryAid.Status.PAID_PENDING_PAPERWORK, granted_by=actor, granted_on=on, paperwork_due=due,
            linked_application=linked_application, related_application=related_application,
            county_id=household.county_id, township_id=household.township_id,
            village_id=household.village_id)
        # A conditional UPDATE under the row lock; the CHECK constraint is the last line of defence.
        updated = ReserveFund.objects.filter(pk=fund.pk, balance__gte=amount).update(
            balance=F("balance") - amount, updated_at=timezone.now())
        if not updated:
            raise ValidationError({"amount": "备用金余额不足"})
        fund.refresh_from_db(fields=["balance"])
        ReserveFundEntry.objects.create(fund=fund, kind=ReserveFundEntry.Kind.DISBURSEMENT, amount=amount,
                                        balance_after=fund.balance, aid=aid, note=disbursement_note(aid),
                                        created_by=actor)
        audit.record(actor=actor, action="temporary_aid.fast_grant", obj=aid,
                     after={"amount": str(amount), "type": aid_type, "paperwork_due": str(due),
                            "handling_township": township, "balance_after": str(fund.balance)}, reason=cause)
    return aid


def paperwork_submit(*, actor, aid: TemporaryAid, paperwork: str, on: dt.date | None = None) -> TemporaryAid:
    """事后补充说明 completes a 先行救助 case."""
    if not (can(actor, Action.CASE_PROCESS) or can(actor, Action.CASE_DECIDE)):
        raise ValidationError("您的角色无权进行此操作")
    if actor.region_id not in (aid.township_id, aid.handling_township_id):
        raise ValidationError("该记录不在您的管辖范围内")
    if aid.status != TemporaryAid.Status.PAID_PENDING_PAPERWORK:
        raise ValidationError("该临时救助不需要补充说明或已补充")
    if len(paperwork.strip()) < 10:
        raise ValidationError({"paperwork": "请写明核实情况、救助依据和发放方式（至少10个字）"})
    on = on or timezone.localdate()
    with transaction.atomic():
        aid.paperwork, aid.paperwork_submitted_on = paperwork, on
        aid.status = TemporaryAid.Status.COMPLETED
        aid.save(update_fields=["paperwork", "paperwork_submitted_on", "status"])
        audit.record(actor=actor, action="temporary_aid.paperwork", obj=aid,
                     after={"submitted_on": str(on), "late": on > aid.paperwork_due})
    return aid


def emergency_rule_switch(*, actor, county: Region, start: dt.date, reason: str, end: dt.date | None = None):
    if not can(actor, Action.SUPERVISION_CHANGE) or county.code != actor.region_id:
        raise ValidationError("只有本县（市、区）民政部门可以启用急难发生地救助")
    if not reason.strip():
        raise ValidationError({"reason": "请写明疫情或灾情"})
    with transaction.atomic():
        rule = EmergencyLocationRule.objects.create(county=county, start=start, end=end, reason=reason,
                                                    created_by=actor)
        audit.record(actor=actor, action="temporary_aid.location_rule", obj=rule, region=(county.code, "", ""),
                     after={"start": str(start), "end": str(end) if end else None}, reason=reason)
    return rule


def full_apply(*, actor, household: Household, aid_type: str, cause: str, amount: Decimal,
               person: Person | None = None, related_application=None, on: dt.date | None = None,
               emergency_place: str = ""):
    """Amounts above the fast-track cap: accepted as an Application of kind 临时救助 and run through the same
    investigation → joint meeting → publicity → confirmation machine; the grant is capped at
    N × the monthly 低保标准 (param temp_aid.cap_standard_months). Returns the Application."""

    on = on or timezone.localdate()
    cap = full_procedure_cap(household, on)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "救助金额须大于0"})
    if amount > cap:
        raise ValidationError({"amount": f"临时救助金额不能超过{cap}元（{params.get('temp_aid.cap_standard_months', on)}"
                                         f"个月的低保标准）"})
    if not cause.strip():
        raise ValidationError({"cause": "请写明困难情形"})
    elsewhere = emergency_place_check(township_code=actor.region_id, household=household,
                                      emergency_place=emergency_place, on=on)
    with transaction.atomic():
        limits.hold_household(household)
        limits.guard_full_apply(household=household, amount=amount, on=on)
        app = workflow.application_accept(actor=actor, household=household, kind="temporary_aid", applicant=person,
                                          reason=cause, accepted_on=on, at_emergency_place=elsewhere)
        TemporaryAid.objects.create(
            household=household, person=person, aid_type=aid_type, track=TemporaryAid.Track.FULL, cause=cause,
            handling_township_id=app.handling_township_id, emergency_place=emergency_place.strip()[:100],
            amount=amount, status=TemporaryAid.Status.APPLYING,
            granted_on=on, application=app, related_application=related_application,
            county_id=household.county_id, township_id=household.township_id, village_id=household.village_id)
    return app
