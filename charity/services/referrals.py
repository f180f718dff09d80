"""§8 referral from government aid to charity: when the rules cannot meet the need (临时救助 at its cap, a refused
application with real hardship, a discovery record) the caseworker refers the case to the fund or to the village
society, with the need and the amount asked. It is due in N working days (param) and ends with an outcome."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.scope import Action, require
from cases.households.models import Household
from charity.models import CharityFund, MutualAidSociety, Referral
from charity.services.common import positive, text, within
from core import audit, params, workdays


def referral_create(*, actor, household: Household, source: str, target: str, need: str, amount_asked: Decimal,
                    source_ref: str = "") -> Referral:
    require(actor, Action.CHARITY_PROPOSE, household, refuse="转介须由乡镇经办人办理")
    if source not in Referral.Source.values:
        raise ValidationError({"source": "请选择转介来源"})
    need, amount_asked = text(need, "need", "困难与需求", minimum=5), positive(amount_asked, "amount_asked")
    fund = society = None
    if target == Referral.Target.FUND:
        fund = CharityFund.objects.filter(county_id=household.county_id).first()
        if fund is None:
            raise ValidationError({"target": "本县（市、区）尚未设立社会救助专项基金"})
    elif target == Referral.Target.SOCIETY:
        society = MutualAidSociety.objects.filter(village_id=household.village_id).first()
        if society is None:
            raise ValidationError({"target": "该家庭所在村（社区）尚未成立救急难互助社"})
    else:
        raise ValidationError({"target": "请选择转介给专项基金还是互助社"})
    today = timezone.localdate()
    due = workdays.add_workdays(today, params.get("charity.referral_due_workdays", today))
    with transaction.atomic():
        referral = Referral.objects.create(
            household=household, source=source, source_ref=source_ref.strip()[:60], target=target, fund=fund,
            society=society, need=need, amount_asked=amount_asked, due_on=due, created_by=actor,
            county_id=household.county_id, township_id=household.township_id, village_id=household.village_id)
        audit.record(actor=actor, action="referral.create", obj=referral, reason=need,
                     after={"target": target, "amount_asked": str(amount_asked), "due_on": str(due),
                            "source": source})
    return referral


def referral_outcome(referral: Referral, *, granted: bool, outcome: str) -> None:
    """Close a referral (called inside the decision's transaction)."""
    referral.status = Referral.Status.GRANTED if granted else Referral.Status.DECLINED
    referral.outcome, referral.outcome_on = outcome[:200], timezone.localdate()
    referral.save(update_fields=["status", "outcome", "outcome_on"])


def referral_close(*, actor, referral: Referral, status: str, outcome: str) -> Referral:
    """Decline (the fund or society will not help, with the reason) or withdraw (the township's own)."""
    if status == Referral.Status.WITHDRAWN:
        within(actor, Action.CHARITY_PROPOSE, referral, refuse="只有转介的乡镇可以撤回")
    elif status == Referral.Status.DECLINED:
        action = Action.CHARITY_APPROVE if referral.target == Referral.Target.FUND else Action.MUTUAL_AID_CHANGE
        within(actor, action, referral, refuse="只有承接的专项基金或互助社可以答复不予资助")
    else:
        raise ValidationError({"status": "请选择“未予资助”或“撤回”"})
    outcome = text(outcome, "outcome", "处理结果", minimum=2)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status != Referral.Status.OPEN:
            raise ValidationError("该转介已办结")
        locked.status, locked.outcome, locked.outcome_on = status, outcome[:200], timezone.localdate()
        locked.save(update_fields=["status", "outcome", "outcome_on"])
        audit.record(actor=actor, action=f"referral.{status}", obj=locked, reason=outcome)
    return locked
