"""Public notices (§2 公示, §11 publicity): what a village notice board may show, and nothing more.

Rows for the public are built by ONE function each from an explicit whitelist of fields (masked name,
household size, category, amount, village). Never pass a model instance to a public template.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from cases.dibao.models import Application
from cases.entitlements.models import Entitlement
from cases.households.models import Household
from core.masking import mask_name
from core.models import Region


@dataclass(frozen=True)
class PublicDibaoRow:
    """One line of the long-term 低保 list. These five fields are all the public may see."""

    masked_name: str
    household_size: int
    category: str
    monthly_amount: Decimal
    village: str


@dataclass(frozen=True)
class PublicityCaseRow:
    """One case under 公示 (7 days). Whitelisted fields only."""

    masked_name: str
    household_size: int
    category: str
    monthly_amount: Decimal | None
    village: str
    publicity_start: dt.date | None
    publicity_end: dt.date | None


def public_dibao_row(*, head_name: str, household_size: int, hukou_type: str, monthly_amount: Decimal,
                     village: Region) -> PublicDibaoRow:
    return PublicDibaoRow(
        masked_name=mask_name(head_name),
        household_size=int(household_size),
        category=f"{Household.HukouType(hukou_type).label}低保",
        monthly_amount=monthly_amount,
        village=village.short_name,
    )


def public_village(code: str) -> Region | None:
    """A village (12-digit code) of the city, or None."""
    if not (isinstance(code, str) and len(code) == 12 and code.isascii() and code.isdigit()):
        return None
    return Region.objects.filter(code=code, level=Region.Level.VILLAGE).select_related("parent__parent").first()


def _as_village(village_or_code) -> Region | None:
    """A village already looked up (the public page passes it on) or its code."""
    if isinstance(village_or_code, Region):
        return village_or_code if village_or_code.level == Region.Level.VILLAGE else None
    return public_village(village_or_code)


def public_dibao_list(village_code) -> list[PublicDibaoRow]:
    """The village's 低保 households in payment (正常享受 and 渐退期), head's name masked. Two queries
    (one when given the village Region)."""
    village = _as_village(village_code)
    if village is None:
        return []
    rows = (
        Entitlement.objects.in_force().filter(village_id=village.code, category=Entitlement.Category.DIBAO)
        .annotate(size=Count("household__members", filter=Q(household__members__deceased_on__isnull=True)))
        .order_by("household__head_name", "id")
        .values_list("household__head_name", "size", "household__hukou_type", "monthly_amount")
    )
    return [public_dibao_row(head_name=name, household_size=size, hukou_type=hukou, monthly_amount=amount,
                             village=village) for name, size, hukou, amount in rows]


def publicity_cases(village_code, today: dt.date | None = None) -> list[PublicityCaseRow]:
    """Cases of the village currently in 公示 (status publicity, today within publicity_start..publicity_end),
    built through the whitelisted row type: masked head name, household size (living members), the kind of
    assistance applied for, the proposed monthly amount, the publicity dates. Two queries (one when given the village Region)."""


    village = _as_village(village_code)
    if village is None:
        return []
    today = today or timezone.localdate()
    rows = (
        Application.objects.filter(village_id=village.code, status=Application.Status.PUBLICITY,
                                   publicity_start__lte=today, publicity_end__gte=today)
        .annotate(size=Count("household__members", filter=Q(household__members__deceased_on__isnull=True)))
        .order_by("publicity_end", "id")
        .values_list("household__head_name", "size", "kind", "monthly_amount", "publicity_start", "publicity_end")
    )
    return [PublicityCaseRow(masked_name=mask_name(name), household_size=int(size),
                             category=Application.Kind(kind).label, monthly_amount=amount,
                             village=village.short_name, publicity_start=start, publicity_end=end)
            for name, size, kind, amount, start, end in rows]
