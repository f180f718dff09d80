"""Reads of temporary aid and reserve funds, scoped to the requesting user."""
from __future__ import annotations

from django.utils import timezone

from accounts.scope import Action, can, get_in_scope_or_404
from cases.households.models import Household
from cases.temporary_aid import ledger
from cases.temporary_aid.models import TemporaryAid
from cases.temporary_aid.services import emergency_rule_active


def aid_list(*, user, flt: str = ""):
    qs = TemporaryAid.objects.restrict(user, Action.CASE_VIEW).select_related("household", "handling_township",
                                                                              "village")
    if flt == "pending":
        qs = qs.filter(status=TemporaryAid.Status.PAID_PENDING_PAPERWORK)
    elif flt == "overdue":
        qs = qs.filter(status=TemporaryAid.Status.PAID_PENDING_PAPERWORK, paperwork_due__lt=timezone.localdate())
    return qs


def _household_at_emergency_place(*, user, pk, acts: str, reads: str) -> Household:
    """While the county's emergency-location rule is on, a township may help any household (the emergency
    happened here, 急难发生地); otherwise only one in its reach. Anything else is 404."""
    if can(user, acts) and emergency_rule_active(user.region_id[:6], timezone.localdate()):
        try:
            household = Household.objects.filter(pk=pk).first()
        except (ValueError, TypeError):
            household = None
        if household is not None:
            return household
    return get_in_scope_or_404(Household.objects.all(), user, reads, pk=pk)


def household_for_grant(*, user, pk) -> Household:
    """The household a township leader may open 先行救助 for (§4)."""
    return _household_at_emergency_place(user=user, pk=pk, acts=Action.CASE_DECIDE, reads=Action.CASE_DECIDE)


def household_for_apply(*, user, pk) -> Household:
    """The household a township caseworker may accept a 临时救助 application (一般程序) for."""
    return _household_at_emergency_place(user=user, pk=pk, acts=Action.CASE_PROCESS, reads=Action.CASE_VIEW)


def funds(*, user):
    """The township funds whose balance the user may see (one rule: `ledger.funds`)."""
    return ledger.funds(user)
