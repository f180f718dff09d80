"""§9 price-subsidy linkage: starts when CPI ≥ trigger or food CPI ≥ trigger (params), stops when neither holds.
Subsidy per person = 低保标准 × the higher triggering rate, at least the floor (params)."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from cases.standards import dibao_standard
from core import params

# Entitlement categories whose persons receive the subsidy.
SUBSIDY_CATEGORIES = ("dibao", "tekun_central", "tekun_dispersed", "dibao_edge")


def triggering_rate(cpi: Decimal, food_cpi: Decimal, on: dt.date) -> Decimal | None:
    """The higher of the rates that reach their trigger, or None when the linkage is off."""
    rates = []
    if cpi >= params.get("price.cpi_trigger", on):
        rates.append(cpi)
    if food_cpi >= params.get("price.food_cpi_trigger", on):
        rates.append(food_cpi)
    return max(rates) if rates else None


def rate_for(month: dt.date) -> Decimal | None:
    """The linkage state for a payment month: the newest index entered for that month or before."""
    from funds.models import PriceIndex

    index = PriceIndex.objects.filter(month__lte=month).order_by("-month").first()
    if index is None:
        return None
    return triggering_rate(index.cpi_yoy, index.food_cpi_yoy, month)


def per_person(standard: Decimal, rate: Decimal, on: dt.date) -> Decimal:
    amount = (standard * rate / Decimal(100)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return max(amount, params.get("price.subsidy_floor", on))


def per_person_for(county: str, hukou_type: str, month: dt.date, rate: Decimal) -> Decimal:
    return per_person(dibao_standard(county, hukou_type, month), rate, month)
