"""The standards in force: 低保标准 per county and urban/rural, 特困 basic living and care standards."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from cases.models import CareStandard, Standard
from core import params


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
