"""§9 price-subsidy linkage: starts when CPI ≥ trigger or food CPI ≥ trigger (params), stops when neither holds.
Subsidy per person = 低保标准 × the higher triggering rate, at least the floor (params)."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from cases.standards.selectors import dibao_standard
from core import categories, params
from funds.models import PriceIndex


def subsidy_categories(month: dt.date) -> tuple[str, ...]:
    """Entitlement categories whose persons receive the subsidy in `month`: the city's parameter
    price.subsidy_categories (validated against the known category codes when it is set)."""
    raw = params.get("price.subsidy_categories", month) or ""
    codes = tuple(dict.fromkeys(c.strip() for c in raw.split(",") if c.strip()))
    unknown = [c for c in codes if c not in categories.LABELS]
    if unknown:  # never reached through parameter_set (it validates); guards the SQL built from these codes
        raise ValueError(f"price.subsidy_categories has unknown codes: {unknown}")
    return codes


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
    index = PriceIndex.objects.filter(month__lte=month).order_by("-month").first()
    if index is None:
        return None
    return triggering_rate(index.cpi_yoy, index.food_cpi_yoy, month)


def per_person(standard: Decimal, rate: Decimal, on: dt.date) -> Decimal:
    amount = (standard * rate / Decimal(100)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return max(amount, params.get("price.subsidy_floor", on))


def per_person_for(county: str, hukou_type: str, month: dt.date, rate: Decimal) -> Decimal:
    return per_person(dibao_standard(county, hukou_type, month), rate, month)
