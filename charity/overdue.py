"""The social forces' section of the overdue board (core.overdue): referrals to charity still open at or past
their due date."""
from __future__ import annotations

from django.urls import reverse

from accounts.scope import Action, can
from charity.models import Referral
from core.overdue import LIST_LIMIT, Item, Provider, Request, Section


def referrals(r: Request) -> Section | None:
    if not can(r.user, Action.CHARITY_VIEW):
        return None
    rows = Referral.objects.restrict(r.user, Action.CHARITY_VIEW).filter(status=Referral.Status.OPEN,
                                                                        due_on__lte=r.horizon)
    s = Section("referrals", "转介慈善帮扶办理", reverse("charity:referral_list") + "?status=overdue")
    r.count(s, rows, "due_on", r.place_field("township_id", "county_id"))
    for ref in rows.select_related("household").order_by("due_on", "id")[:LIST_LIMIT]:
        s.items.append(Item(r.place_of(ref.county_id, ref.township_id), f"转介{ref.get_target_display()}",
                            ref.household.head_name, ref.due_on, r.state(ref.due_on),
                            reverse("charity:referral_detail", args=[ref.pk]), ref.township_id))
    return s


SECTIONS = [Provider(90, referrals)]
