"""Every *(param)* of the specification: its default here, its history in core.Parameter.

`get(key, on=date)` returns the value in force on that day: the newest Parameter row whose
effective_from is not after it, else the default. City administrators change values through
`parameter_set` (audited); nothing else writes them.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class Param:
    default: object
    kind: type
    label: str
    unit: str = ""


REGISTRY: dict[str, Param] = {
    # §1 monitoring
    "monitoring.comparisons_per_month": Param(1, int, "每县每月数据比对最少次数", "次"),
    "monitoring.clue_due_workdays": Param(10, int, "疑点线索核查时限", "个工作日"),
    # §2 低保
    "dibao.publicity_days": Param(7, int, "公示期", "天"),
    "dibao.notice_workdays": Param(3, int, "不予确认/终止通知书送达时限", "个工作日"),
    "dibao.process_workdays": Param(25, int, "审核确认办理时限", "个工作日"),
    "dibao.process_workdays_extended": Param(40, int, "延长后的办理时限", "个工作日"),
    "dibao.employment_cost_rate": Param(Decimal("0.30"), Decimal, "就业成本扣减比例（占收入）"),
    "dibao.employment_cost_cap_standards": Param(Decimal("1"), Decimal, "就业成本扣减上限（倍低保标准）", "倍"),
    "dibao.rigid_expense_deductible": Param(True, bool, "是否扣减刚性支出"),
    "dibao.amount_floor": Param(Decimal("30.00"), Decimal, "低保金月保底金额（每户）", "元"),
    "dibao.recheck_months_stable": Param(12, int, "稳定家庭复核周期", "个月"),
    "dibao.recheck_months_unstable": Param(6, int, "收入不稳定家庭复核周期", "个月"),
    "dibao.phase_out_months": Param(6, int, "渐退期", "个月"),
    "dibao.deposit_limit_months": Param(24, int, "人均存款上限（月低保标准的倍数）", "倍"),
    # §3 特困
    "tekun.basic_living_ratio": Param(Decimal("1.3"), Decimal, "特困基本生活标准（倍低保标准）", "倍"),
    "tekun.visit_interval_days": Param(30, int, "分散供养特困人员探访间隔", "天"),
    # §4 临时救助
    "temp_aid.fast_track_cap": Param(Decimal("3000.00"), Decimal, "小金额先行救助上限", "元"),
    "temp_aid.paperwork_workdays": Param(5, int, "先行救助事后补充说明时限", "个工作日"),
    "temp_aid.cap_standard_months": Param(6, int, "临时救助金额上限（月低保标准的倍数）", "倍"),
    # §5 spot checks
    "spotcheck.ratio": Param(Decimal("0.30"), Decimal, "县级抽查比例"),
    "spotcheck.relative_ratio": Param(Decimal("0.60"), Decimal, "近亲属备案对象抽查比例"),
    # §6 payments
    "payment.data_day": Param(5, int, "救助对象数据报送截止日", "日"),
    "payment.finance_day": Param(8, int, "财政拨付截止日", "日"),
    "payment.bank_day": Param(10, int, "银行发放截止日", "日"),
    # §9 price subsidy
    "price.cpi_trigger": Param(Decimal("3.5"), Decimal, "CPI 同比涨幅启动条件", "%"),
    "price.food_cpi_trigger": Param(Decimal("6.0"), Decimal, "食品 CPI 同比涨幅启动条件", "%"),
    "price.subsidy_floor": Param(Decimal("10.00"), Decimal, "价格临时补贴最低金额", "元/人"),
    # §11, §12
    "complaint.due_workdays": Param(15, int, "投诉举报办理时限", "个工作日"),
    "relatives.reverify_months": Param(12, int, "近亲属备案复核周期", "个月"),
    # accounts (等保)
    "accounts.password_max_age_days": Param(90, int, "密码有效期", "天"),
    "accounts.inactive_disable_days": Param(90, int, "长期未登录账号停用", "天"),
}


def _coerce(key: str, raw):
    spec = REGISTRY[key]
    try:
        if spec.kind is bool:
            if isinstance(raw, bool):
                return raw
            return str(raw).strip().lower() in {"1", "true", "yes", "是"}
        return spec.kind(str(raw).strip()) if spec.kind is not Decimal else Decimal(str(raw).strip())
    except Exception:
        raise ValidationError(f"参数“{spec.label}”的值“{raw}”格式不正确") from None


CACHE_SECONDS = 60


LOCAL_SECONDS = 10  # per-process memo in front of the shared cache (read on every request by some keys)
_local: dict[str, tuple[float, list]] = {}


def _history(key: str) -> list[tuple[dt.date, str]]:
    """All values of a key, newest first; cached briefly (cleared by parameter_set).

    Two levels: this process keeps a value for LOCAL_SECONDS, the shared cache for CACHE_SECONDS, so a
    change made in another process is seen within seconds and a page view costs no cache round trip.
    """
    from core.models import Parameter

    now = time.monotonic()
    hit = _local.get(key)
    if hit is not None and now - hit[0] < LOCAL_SECONDS:
        return hit[1]
    cache_key = f"param:{key}"
    rows = cache.get(cache_key)
    if rows is None:
        rows = list(
            Parameter.objects.filter(key=key).order_by("-effective_from", "-id").values_list("effective_from", "value")
        )
        cache.set(cache_key, rows, CACHE_SECONDS)
    _local[key] = (now, rows)
    return rows


def forget(key: str) -> None:
    _local.pop(key, None)
    cache.delete(f"param:{key}")


def get(key: str, on: dt.date | None = None):
    if key not in REGISTRY:
        raise KeyError(key)
    on = on or timezone.localdate()
    for effective_from, value in _history(key):
        if effective_from <= on:
            return _coerce(key, value)
    return REGISTRY[key].default


def parameter_set(*, actor, key: str, value, effective_from: dt.date, reason: str):
    from core import audit
    from core.models import Parameter

    if key not in REGISTRY:
        raise ValidationError(f"未知参数 {key}")
    if not reason or not reason.strip():
        raise ValidationError("调整参数必须说明原因")
    coerced = _coerce(key, value)
    with transaction.atomic():
        before = get(key, effective_from)
        row, _ = Parameter.objects.update_or_create(
            key=key,
            effective_from=effective_from,
            defaults={"value": str(coerced), "reason": reason, "created_by": actor},
        )
        audit.record(
            actor=actor,
            action="parameter.set",
            obj=row,
            before={"value": str(before)},
            after={"value": str(coerced), "effective_from": effective_from.isoformat()},
            reason=reason,
            category=audit.Category.ADMIN,
            object_repr=REGISTRY[key].label,
        )
        transaction.on_commit(lambda: forget(key))
    forget(key)
    return row
