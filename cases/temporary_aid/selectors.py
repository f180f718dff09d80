"""Reads of temporary aid and reserve funds, scoped to the requesting user."""
from __future__ import annotations

from django.utils import timezone

from accounts.models import ROLE_LEVEL
from accounts.scope import Action, can, get_in_scope_or_404
from cases.households.models import Household
from cases.temporary_aid.models import ReserveFund, TemporaryAid
from cases.temporary_aid.services import emergency_rule_active
from core.models import Region


def aid_list(*, user, flt: str = ""):
    qs = TemporaryAid.objects.restrict(user, Action.CASE_VIEW).select_related("household", "handling_township",
                                                                              "village")
    if flt == "pending":
        qs = qs.filter(status=TemporaryAid.Status.PAID_PENDING_PAPERWORK)
    elif flt == "overdue":
        qs = qs.filter(status=TemporaryAid.Status.PAID_PENDING_PAPERWORK, paperwork_due__lt=timezone.localdate())
    return qs


def household_for_grant(*, user, pk) -> Household:
    """The household a township leader may open 先行救助 for (§4): one in reach, or any household while the
    county's emergency-location rule is on (the emergency happened here). Anything else is 404."""
    if can(user, Action.CASE_DECIDE) and emergency_rule_active(user.region_id[:6], timezone.localdate()):
        try:
            household = Household.objects.filter(pk=pk).first()
        except (ValueError, TypeError):
            household = None
        if household is not None:
            return household
    return get_in_scope_or_404(Household.objects.all(), user, Action.CASE_DECIDE, pk=pk)


def household_for_apply(*, user, pk) -> Household:
    """The household a township caseworker may accept a 临时救助 application (一般程序) for: one in reach, or any
    household while the county's emergency-location rule is on (急难发生地 for every amount)."""
    if can(user, Action.CASE_PROCESS) and emergency_rule_active(user.region_id[:6], timezone.localdate()):
        try:
            household = Household.objects.filter(pk=pk).first()
        except (ValueError, TypeError):
            household = None
        if household is not None:
            return household
    return get_in_scope_or_404(Household.objects.all(), user, Action.CASE_VIEW, pk=pk)


def funds(*, user):

    qs = ReserveFund.objects.select_related("township")
    if not can(user, Action.CASE_VIEW) and not can(user, Action.PAYMENT_VIEW):
        return qs.none()
    level = ROLE_LEVEL[user.role]
    if level == Region.Level.CITY:
        return qs
    if level == Region.Level.COUNTY:
        return qs.filter(county_id=user.region_id)
    return qs.filter(township_id=user.region_id[:9])
