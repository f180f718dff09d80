"""The standards in force: 低保标准 per county and urban/rural, 特困 basic living and care standards."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import Region
from accounts.scope import Action, can
from cases.models import CareStandard, Standard
from core import audit, params


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


# --- the city administrator's standards pages: reads ------------------------------------------------

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


# --- writes (keyword-only, audited; STANDARDS_CHANGE = the city administrator) ---------------------------

def _check_counties(actor, counties) -> list:


    if not can(actor, Action.STANDARDS_CHANGE):
        raise ValidationError("只有市级管理员可以设置救助标准")
    counties = list(counties)
    if not counties:
        raise ValidationError({"counties": "请至少选择一个县（市、区）"})
    for county in counties:
        if getattr(county, "level", None) != Region.Level.COUNTY:
            raise ValidationError({"counties": f"{county} 不是县级行政区划"})
    return counties


def standard_add(*, actor, counties, hukou_type: str, effective_from: dt.date, dibao_monthly: Decimal,
                 note: str) -> list[Standard]:
    """Record a 低保标准 (元/人·月) for each county from `effective_from`; `note` names the document (文件依据)."""


    counties = _check_counties(actor, counties)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写文件依据（如“焦民〔2027〕1号”）"})
    if hukou_type not in HUKOU_TYPES:
        raise ValidationError({"hukou_type": "请选择城市或农村"})
    if dibao_monthly is None or dibao_monthly <= 0:
        raise ValidationError({"dibao_monthly": "低保标准须大于 0 元"})
    created = []
    with transaction.atomic():
        for county in counties:
            if Standard.objects.filter(county=county, hukou_type=hukou_type, effective_from=effective_from).exists():
                raise ValidationError(
                    f"{county}{'城市' if hukou_type == 'urban' else '农村'}低保标准在 {effective_from:%Y-%m-%d} 已有记录，"
                    "如需更正请另选执行日期")
            before = Standard.objects.filter(county=county, hukou_type=hukou_type,
                                             effective_from__lte=effective_from).order_by("-effective_from").first()
            row = Standard(county=county, hukou_type=hukou_type, effective_from=effective_from,
                           dibao_monthly=dibao_monthly, note=note, is_demo=False, created_by=actor)
            row.full_clean()
            row.save()
            audit.record(
                actor=actor, action="standard.add", obj=row,
                before={"dibao_monthly": str(before.dibao_monthly), "effective_from": before.effective_from.isoformat()}
                if before else None,
                after=audit.snapshot(row, ["county", "hukou_type", "effective_from", "dibao_monthly", "note"]),
                reason=note, region=(county.code, "", ""),
            )
            created.append(row)
    return created


def care_standard_add(*, actor, counties, level: str, form: str, effective_from: dt.date, monthly_amount: Decimal,
                      reason: str) -> list[CareStandard]:
    """Record a 照料护理标准 (元/人·月) for each county, self-care level and form of care from `effective_from`."""


    counties = _check_counties(actor, counties)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写调整原因或文件依据"})
    if monthly_amount is None or monthly_amount < 0:
        raise ValidationError({"monthly_amount": "照料护理标准不能为负数"})
    created = []
    with transaction.atomic():
        for county in counties:
            if CareStandard.objects.filter(county=county, level=level, form=form,
                                           effective_from=effective_from).exists():
                raise ValidationError(f"{county}该类照料护理标准在 {effective_from:%Y-%m-%d} 已有记录，如需更正请另选执行日期")
            row = CareStandard(county=county, level=level, form=form, effective_from=effective_from,
                               monthly_amount=monthly_amount, is_demo=False, created_by=actor)
            row.full_clean()
            row.save()
            audit.record(
                actor=actor, action="care_standard.add", obj=row,
                after=audit.snapshot(row, ["county", "level", "form", "effective_from", "monthly_amount"]),
                reason=reason, region=(county.code, "", ""),
            )
            created.append(row)
    return created
