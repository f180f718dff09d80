"""§8 charity special fund: set-up, donations in, grants out with two-person approval, payment records. The
balance moves only under the fund's row lock with a conditional UPDATE; the CHECK constraint is the last line."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Role, User
from accounts.scope import Action, require
from cases.households.models import Household
from charity.models import CharityFund, CharityGrant, Donation, FundEntry, Referral
from charity.services.common import positive, text, within
from charity.services.referrals import referral_outcome
from core import audit
from core.models import Region


def fund_create(*, actor, county: Region, name: str, organisation: str) -> CharityFund:
    require(actor, Action.CHARITY_MANAGE, refuse="只有县级民政部门可以设立专项基金")
    if county.level != Region.Level.COUNTY or not county.code.startswith(actor.region_id):
        raise ValidationError({"county": "只能为本县（市、区）设立专项基金"})
    if CharityFund.objects.filter(county=county).exists():
        raise ValidationError({"county": "本县（市、区）已设立社会救助专项基金"})
    name, organisation = text(name, "name", "基金名称"), text(organisation, "organisation", "托管慈善组织")
    with transaction.atomic():
        fund = CharityFund.objects.create(county=county, name=name, organisation=organisation)
        audit.record(actor=actor, action="charity_fund.create", obj=fund, region=(county.code, "", ""),
                     after={"name": name, "organisation": organisation})
    return fund


def fund_staff_add(*, actor, fund: CharityFund, user: User) -> None:
    within(actor, Action.CHARITY_MANAGE, fund, refuse="只有县级民政部门可以指定慈善组织工作人员")
    if user.role != Role.CHARITY_STAFF or user.region_id != fund.county_id:
        raise ValidationError({"user": "只能指定本县的“慈善组织工作人员”账号"})
    with transaction.atomic():
        fund.staff.add(user)
        audit.record(actor=actor, action="charity_fund.staff_add", obj=fund, region=(fund.county_id, "", ""),
                     after={"user": user.username})


def _locked(fund: CharityFund) -> CharityFund:
    return CharityFund.objects.select_for_update().get(pk=fund.pk)


def donation_record(*, actor, fund: CharityFund, donor: str, amount: Decimal, received_on: dt.date,
                    restricted_use: str = "", note: str = "") -> Donation:
    within(actor, Action.CHARITY_APPROVE, fund, refuse="只有县级民政部门或慈善组织可以登记捐赠")
    donor, amount = text(donor, "donor", "捐赠方"), positive(amount)
    if received_on is None or received_on > timezone.localdate():
        raise ValidationError({"received_on": "到账日期不能晚于今天"})
    with transaction.atomic():
        fund = _locked(fund)
        donation = Donation.objects.create(fund=fund, county_id=fund.county_id, donor=donor, amount=amount,
                                           received_on=received_on, restricted_use=restricted_use.strip(),
                                           note=note.strip(), created_by=actor)
        CharityFund.objects.filter(pk=fund.pk).update(balance=F("balance") + amount, updated_at=timezone.now())
        fund.refresh_from_db(fields=["balance"])
        FundEntry.objects.create(fund=fund, county_id=fund.county_id, kind=FundEntry.Kind.DONATION, amount=amount,
                                 balance_after=fund.balance, donation=donation, note=f"{donor}捐赠",
                                 created_by=actor)
        audit.record(actor=actor, action="charity_fund.donation", obj=donation, region=(fund.county_id, "", ""),
                     after={"amount": str(amount), "donor": donor, "balance": str(fund.balance)})
    return donation


def grant_propose(*, actor, household: Household, reason: str, detail: str, amount: Decimal,
                  referral: Referral | None = None) -> CharityGrant:
    """The township proposes a grant from its county's fund (optionally answering a referral)."""
    require(actor, Action.CHARITY_PROPOSE, household, refuse="慈善资助须由乡镇提出")
    fund = CharityFund.objects.filter(county_id=household.county_id).first()
    if fund is None:
        raise ValidationError("本县（市、区）尚未设立社会救助专项基金")
    if reason not in CharityGrant.Reason.values:
        raise ValidationError({"reason": "请选择资助事由"})
    detail, amount = text(detail, "detail", "困难情况", minimum=5), positive(amount)
    if referral is not None:
        if referral.household_id != household.pk or referral.target != Referral.Target.FUND:
            raise ValidationError({"referral": "该转介不是本家庭转介给专项基金的"})
        if referral.status != Referral.Status.OPEN or hasattr(referral, "grant"):
            raise ValidationError({"referral": "该转介已办结或已提出资助"})
    with transaction.atomic():
        grant = CharityGrant(fund=fund, household=household, reason=reason, detail=detail, amount=amount,
                             referral=referral, proposed_by=actor, county_id=household.county_id,
                             township_id=household.township_id, village_id=household.village_id)
        grant.save()
        audit.record(actor=actor, action="charity_grant.propose", obj=grant,
                     after={"amount": str(amount), "reason": reason, "referral": referral.pk if referral else None},
                     reason=detail)
    return grant


def grant_decide(*, actor, grant: CharityGrant, approve: bool, note: str = "") -> CharityGrant:
    """The county civil affairs or the fund's charity staff approve (the money leaves the fund at once, under
    the row lock) or reject. The proposer never decides their own proposal."""
    within(actor, Action.CHARITY_APPROVE, grant, refuse="慈善资助须由县级民政部门或慈善组织审批")
    if grant.proposed_by_id == actor.pk:
        raise ValidationError("提出资助的人不能审批同一笔资助（须两人办理）")
    if not approve:
        text(note, "note", "不予资助的理由", minimum=2)
    with transaction.atomic():
        locked = CharityGrant.objects.select_for_update().get(pk=grant.pk)
        if locked.status != CharityGrant.Status.PROPOSED:
            raise ValidationError("该资助已审批")
        fund = _locked(locked.fund)
        locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note.strip()[:200]
        if approve:
            updated = CharityFund.objects.filter(pk=fund.pk, balance__gte=locked.amount).update(
                balance=F("balance") - locked.amount, updated_at=timezone.now())
            if not updated:
                raise ValidationError(f"专项基金余额不足：当前余额{fund.balance}元")
            fund.refresh_from_db(fields=["balance"])
            FundEntry.objects.create(fund=fund, county_id=fund.county_id, kind=FundEntry.Kind.GRANT,
                                     amount=locked.amount, balance_after=fund.balance, grant=locked,
                                     note=f"{locked.household}{locked.get_reason_display()}资助", created_by=actor)
            locked.status = CharityGrant.Status.APPROVED
        else:
            locked.status = CharityGrant.Status.REJECTED
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        if locked.referral_id:
            referral_outcome(locked.referral, granted=approve,
                            outcome=(f"专项基金资助{locked.amount}元" if approve else f"不予资助：{note.strip()}"))
        audit.record(actor=actor, action="charity_grant.approve" if approve else "charity_grant.reject",
                     obj=locked, after={"amount": str(locked.amount), "balance": str(fund.balance)}, reason=note)
    return locked


def grant_pay(*, actor, grant: CharityGrant, paid_on: dt.date, reference: str) -> CharityGrant:
    """The payment record: when and under which voucher the approved money reached the household."""
    within(actor, Action.CHARITY_APPROVE, grant, refuse="付款须由县级民政部门或慈善组织登记")
    reference = text(reference, "reference", "付款凭证号")
    if paid_on is None or paid_on > timezone.localdate():
        raise ValidationError({"paid_on": "付款日期不能晚于今天"})
    with transaction.atomic():
        locked = CharityGrant.objects.select_for_update().get(pk=grant.pk)
        if locked.status != CharityGrant.Status.APPROVED:
            raise ValidationError("只有已批准的资助可以登记付款")
        if paid_on < timezone.localtime(locked.decided_at).date():
            raise ValidationError({"paid_on": "付款日期不能早于批准日期"})
        locked.status, locked.paid_on, locked.payment_reference, locked.paid_by = (
            CharityGrant.Status.PAID, paid_on, reference[:60], actor)
        locked.save(update_fields=["status", "paid_on", "payment_reference", "paid_by"])
        audit.record(actor=actor, action="charity_grant.pay", obj=locked,
                     after={"paid_on": str(paid_on), "reference": reference[:60]})
    return locked
