"""Repeat and total limits of 临时救助 (issue #15): one household gets at most one 先行救助 per emergency within
a period, its 先行救助 total within a rolling period is capped, and the general procedure is held to the same
kind of rules (no second open application, a capped total of all temporary aid).

Every grant path calls `hold_household` first inside its transaction: the household row lock serialises
grants to one household even when two townships grant from two different reserve funds (the 急难发生地
rule), so the sums read here cannot be outrun by a parallel request. Lock order everywhere: the household,
then the reserve fund."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum

from cases.households.models import Household
from cases.standards import selectors as standards
from cases.temporary_aid.models import TemporaryAid
from core import params

S = TemporaryAid.Status
# Aid that was paid or may still be paid; refused applications count for nothing.
LIVE = (S.PAID_PENDING_PAPERWORK, S.COMPLETED, S.APPLYING)


def hold_household(household: Household) -> Household:
    """Lock the household row for the rest of the transaction (every 临时救助 grant path takes it first)."""
    return Household.objects.select_for_update().get(pk=household.pk)


def _live(household: Household, since: dt.date, on: dt.date):
    return TemporaryAid.objects.filter(household_id=household.pk, status__in=LIVE, granted_on__gt=since,
                                       granted_on__lte=on)


def rolling_cap(household: Household, on: dt.date) -> Decimal:
    """All temporary aid of one household within the rolling period: N × the monthly 低保标准."""
    std = standards.dibao_standard(household.county_id, household.hukou_type, on)
    return std * params.get("temp_aid.rolling_cap_standard_months", on)


def guard_total(*, household: Household, amount: Decimal, on: dt.date, exclude_pk=None) -> None:
    """Every grant path: the household's temporary aid within the rolling period stays under the cap."""
    days = params.get("temp_aid.rolling_days", on)
    qs = _live(household, on - dt.timedelta(days=days), on)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    total = qs.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    cap = rolling_cap(household, on)
    if total + amount > cap:
        raise ValidationError({"amount": f"该家庭近{days}天内已获临时救助共{total}元，再救助{amount}元将超过累计上限"
                                         f"{cap}元（{params.get('temp_aid.rolling_cap_standard_months', on)}个月的"
                                         f"低保标准），不能再予救助"})


def guard_fast_grant(*, household: Household, amount: Decimal, on: dt.date) -> None:
    """先行救助: one per household per emergency within the repeat period, a capped 先行救助 total within the
    rolling period, and the overall total. Call under `hold_household`."""
    repeat = params.get("temp_aid.repeat_days", on)
    earlier = (_live(household, on - dt.timedelta(days=repeat), on).filter(track=TemporaryAid.Track.FAST)
               .select_related("handling_township").order_by("-granted_on", "-id").first())
    if earlier is not None:
        raise ValidationError(
            f"该家庭已于{earlier.granted_on:%Y年%m月%d日}由{earlier.handling_township.name}先行救助{earlier.amount}元；"
            f"同一家庭{repeat}天内只能先行救助一次（同一急难事项不重复救助）。如确有新的困难，请按一般程序申请临时救助。")
    days = params.get("temp_aid.rolling_days", on)
    fast_total = (_live(household, on - dt.timedelta(days=days), on).filter(track=TemporaryAid.Track.FAST)
                  .aggregate(s=Sum("amount"))["s"] or Decimal("0"))
    cap = params.get("temp_aid.fast_total_cap", on)
    if fast_total + amount > cap:
        raise ValidationError({"amount": f"该家庭近{days}天内已获先行救助共{fast_total}元，本次{amount}元将超过先行救助"
                                         f"累计上限{cap}元，请按一般程序办理"})
    guard_total(household=household, amount=amount, on=on)


def guard_full_apply(*, household: Household, amount: Decimal, on: dt.date) -> None:
    """一般程序: no second application while one is open or was granted within the repeat period; the total
    cap. (A 先行救助 followed by the general procedure for the rest is the intended path, so a fast grant
    does not block it; the total does.) Call under `hold_household`."""
    repeat = params.get("temp_aid.repeat_days", on)
    open_app = (TemporaryAid.objects.filter(household_id=household.pk, track=TemporaryAid.Track.FULL, status=S.APPLYING)
                .select_related("application").first())
    if open_app is not None:
        raise ValidationError(f"该家庭已有办理中的临时救助申请（{open_app.application.number}），请勿重复申请")
    earlier = (_live(household, on - dt.timedelta(days=repeat), on).filter(track=TemporaryAid.Track.FULL)
               .order_by("-granted_on").first())
    if earlier is not None:
        raise ValidationError(f"该家庭已于{earlier.granted_on:%Y年%m月%d日}获得临时救助{earlier.amount}元；同一家庭"
                              f"{repeat}天内同一急难事项只能救助一次")
    guard_total(household=household, amount=amount, on=on)
