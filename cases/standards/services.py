"""Setting the 低保 standard and the 特困 care standards for counties (city level, audited)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.scope import Action, require
from cases.standards.models import CareStandard, Standard
from cases.standards.selectors import HUKOU_TYPES
from core import audit
from core.models import Region


def _check_counties(actor, counties) -> list:


    require(actor, Action.STANDARDS_CHANGE, refuse="只有市级管理员可以设置救助标准")
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
