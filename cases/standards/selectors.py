"""The standards in force and their history."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from accounts.scope import Action, can
from cases.standards.models import CareStandard, Standard
from core import params
from core.models import Region


class StandardMissing(ObjectDoesNotExist):
    pass


def dibao_standard(county_code: str, hukou_type: str, on: dt.date | None = None) -> Decimal:
    on = on or timezone.localdate()
    row = (Standard.objects.filter(county_id=county_code, hukou_type=hukou_type, effective_from__lte=on)
           .order_by("-effective_from").values_list("dibao_monthly", flat=True).first())
    if row is None:
        raise StandardMissing(f"{county_code} 尚未设置{on:%Y年%m月}的{'城市' if hukou_type == 'urban' else '农村'}低保标准")
    return row


def tekun_basic_living(county_code: str, hukou_type: str, on: dt.date | None = None) -> Decimal:
    ratio = params.get("tekun.basic_living_ratio", on)
    return (dibao_standard(county_code, hukou_type, on) * ratio).quantize(Decimal("0.01"), ROUND_HALF_UP)


def care_standard(county_code: str, level: str, form: str, on: dt.date | None = None) -> Decimal:
    on = on or timezone.localdate()
    row = (CareStandard.objects.filter(county_id=county_code, level=level, form=form, effective_from__lte=on)
           .order_by("-effective_from").values_list("monthly_amount", flat=True).first())
    if row is None:
        raise StandardMissing(f"{county_code} 尚未设置照料护理标准（{level}/{form}）")
    return row


HUKOU_TYPES = ("urban", "rural")


def standards_overview(*, user, on: dt.date | None = None) -> list[dict]:
    """Per county: the 低保标准 in force `on` (urban, rural) with 特困 basic living beside, and what follows.

    Two queries whatever the number of counties.
    """
    if not can(user, Action.PARAMS_VIEW):
        return []
    on = on or timezone.localdate()
    ratio = params.get("tekun.basic_living_ratio", on)
    counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("code"))
    rows_by = {}
    for s in Standard.objects.order_by("county_id", "hukou_type", "-effective_from"):
        rows_by.setdefault((s.county_id, s.hukou_type), []).append(s)
    result = []
    for county in counties:
        entry = {"county": county, "cells": []}
        for hukou in HUKOU_TYPES:
            rows = rows_by.get((county.code, hukou), [])
            current = next((s for s in rows if s.effective_from <= on), None)
            upcoming = sorted((s for s in rows if s.effective_from > on), key=lambda s: s.effective_from)
            entry["cells"].append({
                "hukou_type": hukou,
                "current": current,
                "tekun": (current.dibao_monthly * ratio).quantize(Decimal("0.01"), ROUND_HALF_UP) if current else None,
                "upcoming": upcoming,
            })
        result.append(entry)
    return result


def care_overview(*, user, on: dt.date | None = None) -> list[dict]:
    """Per county: the care standard in force `on` for each form × self-care level."""
    if not can(user, Action.PARAMS_VIEW):
        return []
    on = on or timezone.localdate()
    rows_by = {}
    for c in CareStandard.objects.filter(effective_from__lte=on).order_by("county_id", "form", "level",
                                                                           "-effective_from"):
        rows_by.setdefault((c.county_id, c.form, c.level), c)
    result = []
    for county in Region.objects.filter(level=Region.Level.COUNTY).order_by("code"):
        cells = [rows_by.get((county.code, form, level)) for form, _ in CareStandard.Form.choices
                 for level, _ in CareStandard.Level.choices]
        result.append({"county": county, "cells": cells})
    return result


def standard_history(*, user, year: int | None = None):
    """All 低保标准 rows (optionally those taking effect in `year`), newest first."""
    if not can(user, Action.PARAMS_VIEW):
        return Standard.objects.none()
    qs = Standard.objects.select_related("county", "created_by").order_by("-effective_from", "county_id", "hukou_type")
    return qs.filter(effective_from__year=year) if year else qs


def care_history(*, user, year: int | None = None):

    if not can(user, Action.PARAMS_VIEW):
        return CareStandard.objects.none()
    qs = CareStandard.objects.select_related("county", "created_by").order_by("-effective_from", "county_id", "form",
                                                                               "level")
    return qs.filter(effective_from__year=year) if year else qs
