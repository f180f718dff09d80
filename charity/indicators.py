"""The social forces' indicator of the three aims (core.indicators): referrals to charity not handled by their
due date (兜好底: a case the rules could not meet must not wait on charity either)."""
from __future__ import annotations

from django.db.models import F, Q
from django.urls import reverse

from accounts.scope import Action
from charity.models import Referral
from core.indicators import Ask, Column, Indicator

V = Action.CHARITY_VIEW


def referrals_late(ask: Ask):
    """Referrals past their due date still open on the day looked at, or handled in the month after it."""
    open_late = Q(due_on__lt=ask.as_of) & (Q(status=Referral.Status.OPEN) | Q(outcome_on__gt=ask.as_of))
    handled_late = Q(outcome_on__gte=ask.month, outcome_on__lte=ask.as_of, outcome_on__gt=F("due_on"))
    return ask.place(Referral.objects.restrict(ask.user, V).filter(created_at__date__lte=ask.as_of).filter(
        open_late | handled_late)).select_related("household", "village")


INDICATORS = [
    Indicator("referrals_late", "haodi", "转介慈善帮扶逾期",
              "转介慈善专项基金或救急难互助社的事项，超过办理期限仍未办结或逾期办结的件数", (V,), referrals_late,
              (Column("户主", lambda r: r.household.head_name,
                      lambda r: reverse("charity:referral_detail", args=[r.pk])),
               Column("村（社区）", lambda r: r.village.short_name), Column("转介给", lambda r: r.get_target_display()),
               Column("办理期限", lambda r: r.due_on), Column("状态", lambda r: r.get_status_display())),
              unit="件", order=80, source="charity:referral_list"),
]
