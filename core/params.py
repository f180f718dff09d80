"""Every *(param)* of the specification: its default here, its history in core.Parameter.

`get(key, on=date)` returns the value in force on that day: the newest Parameter row whose
effective_from is not after it, else the default. City administrators change values through
`accounts.parameters.services.parameter_set`, which checks the role and calls `parameter_write` here
(validated, audited; the ground floor knows no roles); nothing else writes them.
"""
from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import audit, categories
from core.models import Parameter


@dataclass(frozen=True)
class Param:
    default: object
    kind: type
    label: str
    unit: str = ""
    minimum: object = None  # inclusive bounds, checked by `validate`
    maximum: object = None
    help: str = ""
    check: Callable[[object], None] | None = field(default=None, compare=False)  # raises ValidationError


# Areas of the parameter page, by key prefix, in DOMAIN.md order.
AREAS: dict[str, str] = {
    "monitoring": "§1 低收入人口动态监测",
    "dibao": "§2 最低生活保障",
    "lowincome": "§1 低保边缘、刚性支出困难、防返贫监测",
    "tekun": "§3 特困人员救助供养",
    "temp_aid": "§4 临时救助",
    "spotcheck": "§5 审核确认与抽查",
    "payment": "§6 资金发放",
    "discovery": "§7 主动发现",
    "price": "§9 价格临时补贴联动",
    "charity": "§8 政府救助与慈善帮扶",
    "services": "§10 购买服务",
    "complaint": "§11 投诉举报",
    "relatives": "§12 近亲属备案",
    "accounts": "账号安全（等级保护）",
    "ops": "系统运行（备份）",
}

RATIO = "比例"  # unit of Decimal shares: 0.30 means 30 %




def _category_codes(value: str) -> None:
    for code in filter(None, (c.strip() for c in value.split(","))):
        if code not in categories.LABELS:
            raise ValidationError(f"“{code}”不是有效的救助类别代码，可选：{'、'.join(categories.LABELS)}")


REGISTRY: dict[str, Param] = {
    # §1 monitoring
    "monitoring.comparisons_per_month": Param(1, int, "每县每月数据比对最少次数", "次"),
    "monitoring.clue_due_workdays": Param(10, int, "疑点线索核查时限", "个工作日"),
    "monitoring.required_sources": Param("death", str, "每县每月必须比对的数据类别（逗号分隔：death, vehicle, medical…）"),
    "monitoring.medical_discovery_amount": Param(Decimal("10000.00"), Decimal, "低保边缘家庭成员年度个人自付医疗费用达到此数生成主动发现线索", "元"),
    "monitoring.run_stale_minutes": Param(10, int, "比对任务无心跳多久视为中断，可重新执行", "分钟"),
    # §2 低保
    "dibao.publicity_days": Param(7, int, "公示期", "天", 1, 30),
    "dibao.notice_workdays": Param(3, int, "不予确认/终止通知书送达时限", "个工作日", 1, 30),
    "dibao.process_workdays": Param(25, int, "审核确认办理时限", "个工作日", 1, 60),
    "dibao.process_workdays_extended": Param(40, int, "延长后的办理时限", "个工作日", 1, 90),
    "dibao.employment_cost_rate": Param(Decimal("0.30"), Decimal, "就业成本扣减比例（占就业收入）", RATIO,
                                        Decimal("0"), Decimal("1"), "填 0.30 表示 30%"),
    "dibao.employment_cost_cap_standards": Param(Decimal("1"), Decimal, "就业成本扣减上限（倍低保标准）", "倍",
                                                 Decimal("0"), Decimal("5")),
    "dibao.rigid_expense_deductible": Param(True, bool, "是否扣减刚性支出", help="医疗、教育刚性支出是否从家庭收入中扣减"),
    "dibao.amount_floor": Param(Decimal("30.00"), Decimal, "低保金月保底金额（每户）", "元", Decimal("0"),
                                Decimal("10000")),
    "dibao.recheck_months_stable": Param(12, int, "稳定家庭复核周期", "个月", 1, 36),
    "dibao.recheck_months_unstable": Param(6, int, "收入不稳定家庭复核周期", "个月", 1, 36),
    "dibao.phase_out_months": Param(6, int, "渐退期", "个月", 1, 6, "政策规定 1–6 个月"),
    "dibao.deposit_limit_months": Param(24, int, "人均存款上限（月低保标准的倍数）", "倍", 0, 120),
    "dibao.vehicle_value_limit": Param(Decimal("30000.00"), Decimal, "机动车辆价值上限（超过不符合条件）", "元",
                                       Decimal("0"), Decimal("1000000")),
    "dibao.house_limit": Param(1, int, "家庭自有住房套数上限", "套", 0, 10),
    "dibao.nearly_due_workdays": Param(5, int, "临近办结期限提醒", "个工作日", 1, 20),
    # §1 低保边缘 / 刚性支出困难 / 防返贫监测 (cases.lowincome)
    "lowincome.edge_income_ratio": Param(Decimal("1.5"), Decimal, "低保边缘家庭人均收入上限（倍低保标准）", "倍",
                                         Decimal("1"), Decimal("5")),
    "lowincome.rigid_income_ratio": Param(Decimal("3.0"), Decimal, "刚性支出困难家庭人均收入上限（倍低保标准）", "倍",
                                          Decimal("1"), Decimal("10")),
    "lowincome.rigid_expense_share": Param(Decimal("0.50"), Decimal, "刚性支出困难：近12个月医疗教育刚性支出占家庭收入比例超过",
                                           RATIO, Decimal("0"), Decimal("10"), "填 0.50 表示 50%"),
    "lowincome.process_workdays": Param(20, int, "低收入人口认定办理时限", "个工作日", 1, 60),
    "lowincome.process_workdays_extended": Param(30, int, "低收入人口认定延长后的办理时限", "个工作日", 1, 90),
    "lowincome.recheck_months_edge": Param(12, int, "低保边缘家庭复核周期", "个月", 1, 36),
    "lowincome.recheck_months_rigid": Param(12, int, "刚性支出困难家庭复核周期", "个月", 1, 36),
    "lowincome.recheck_months_monitor": Param(6, int, "防返贫监测对象复核周期", "个月", 1, 36),
    "lowincome.change_recheck_workdays": Param(10, int, "家庭情况变化后复核时限", "个工作日", 1, 60),
    # §3 特困
    "tekun.basic_living_ratio": Param(Decimal("1.3"), Decimal, "特困基本生活标准（倍低保标准）", "倍",
                                      Decimal("1.3"), Decimal("5"), "不得低于当地低保标准的 1.3 倍"),
    "tekun.recheck_months": Param(12, int, "特困人员复核周期", "个月", 1, 36),
    "tekun.visit_interval_days": Param(30, int, "分散供养特困人员探访间隔", "天", 1, 365),
    # §4 临时救助
    "temp_aid.fast_track_cap": Param(Decimal("3000.00"), Decimal, "小金额先行救助上限", "元", Decimal("0"),
                                     Decimal("100000")),
    "temp_aid.paperwork_workdays": Param(5, int, "先行救助事后补充说明时限", "个工作日", 1, 30),
    "temp_aid.cap_standard_months": Param(6, int, "临时救助金额上限（月低保标准的倍数）", "倍", 1, 60),
    "temp_aid.repeat_days": Param(90, int, "同一家庭先行救助间隔（同一急难事项只救助一次）", "天", 1, 3650),
    "temp_aid.rolling_days": Param(365, int, "临时救助累计金额的滚动期", "天", 1, 3650),
    "temp_aid.fast_total_cap": Param(Decimal("6000.00"), Decimal, "滚动期内先行救助累计上限", "元", Decimal("0"),
                                     Decimal("1000000")),
    "temp_aid.rolling_cap_standard_months": Param(12, int, "滚动期内临时救助累计上限（月低保标准的倍数）", "倍", 1, 120),
    # (急难发生地救助 is not a parameter: a county officer switches it on with dates and a reason as an audited
    # cases.EmergencyLocationRule — cases/temporary_aid.py.)
    # §5 spot checks
    "spotcheck.ratio": Param(Decimal("0.30"), Decimal, "县级抽查比例（含不予确认）", RATIO, Decimal("0"),
                             Decimal("1"), "填 0.30 表示 30%"),
    "spotcheck.relative_ratio": Param(Decimal("0.60"), Decimal, "近亲属备案对象抽查比例", RATIO, Decimal("0"),
                                      Decimal("1"), "填 0.60 表示 60%"),
    "spotcheck.answer_workdays": Param(10, int, "乡镇答复抽查问题时限", "个工作日", 1, 60),
    # §6 payments
    "payment.data_day": Param(5, int, "救助对象数据报送截止日", "日", 1, 28),
    "payment.finance_day": Param(8, int, "财政拨付截止日", "日", 1, 28),
    "payment.bank_day": Param(10, int, "银行发放截止日", "日", 1, 28),
    # §9 price subsidy
    "price.cpi_trigger": Param(Decimal("3.5"), Decimal, "CPI 同比涨幅启动条件", "%", Decimal("0"), Decimal("100")),
    "price.food_cpi_trigger": Param(Decimal("6.0"), Decimal, "食品 CPI 同比涨幅启动条件", "%", Decimal("0"),
                                    Decimal("100")),
    "price.subsidy_floor": Param(Decimal("10.00"), Decimal, "价格临时补贴最低金额", "元/人", Decimal("0"),
                                 Decimal("1000")),
    "price.subsidy_categories": Param(
        "dibao,tekun_central,tekun_dispersed,dibao_edge", str, "价格临时补贴发放对象类别", "类别代码",
        help="低保 dibao、特困 tekun_central/tekun_dispersed、低保边缘 dibao_edge 等，英文逗号分隔",
        check=_category_codes,
    ),
    # §8 charity, referrals, pairing; §10 purchased services
    "charity.referral_due_workdays": Param(10, int, "转介慈善帮扶办理时限", "个工作日", 1, 60),
    "charity.pairing_groups": Param(
        "dibao@urban,tekun_dispersed", str, "应当结对帮扶的对象", "类别代码",
        help="类别代码，可加 @urban / @rural 限定城乡，英文逗号分隔；如 dibao@urban,tekun_dispersed",
        check=lambda v: _category_codes(",".join(c.split("@")[0] for c in v.split(","))),
    ),
    "services.coverage_self_care": Param("semi,total", str, "应当购买照料服务的分散供养特困人员自理能力",
                                         help="semi 半失能、total 全失能，英文逗号分隔"),
    "services.budget_warning_ratio": Param(Decimal("0.90"), Decimal, "合同费用预警比例（占预算）", RATIO,
                                           Decimal("0"), Decimal("1"), "填 0.90 表示 90%"),
    # §11, §12
    "complaint.due_workdays": Param(15, int, "投诉举报办理时限", "个工作日", 1, 90),
    "relatives.reverify_months": Param(12, int, "近亲属备案复核周期", "个月", 1, 60),
    # accounts (等保)
    "accounts.password_max_age_days": Param(90, int, "密码有效期", "天", 1, 365),
    "accounts.inactive_disable_days": Param(90, int, "长期未登录账号停用", "天", 1, 365),
    # operations (ops app): the nightly backup
    "ops.backup_retention_days": Param(14, int, "每日自动备份保留天数（更早的备份文件自动删除）", "天", 1, 3650),
    # §7 主动发现 (grid, visits, the discovery ledger, village drafts)
    "discovery.visit_days_tekun": Param(30, int, "巡查走访周期：分散供养特困人员", "天", 1, 366),
    "discovery.visit_days_dibao": Param(90, int, "巡查走访周期：低保家庭", "天", 1, 366),
    "discovery.visit_days_other": Param(365, int, "巡查走访周期：其他登记家庭", "天", 1, 731),
    "discovery.ledger_due_workdays": Param(10, int, "工作台账记录跟进办结时限", "个工作日", 1, 60),
    "discovery.draft_accept_workdays": Param(5, int, "村级代办申请乡镇受理时限", "个工作日", 1, 30),
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


def area_of(key: str) -> str:
    return AREAS.get(key.split(".", 1)[0], "其他")


def validate(key: str, raw) -> object:
    """The typed value of `raw` for `key`, or a ValidationError in Chinese (strict: for forms and services)."""
    if key not in REGISTRY:
        raise ValidationError(f"未知参数 {key}")
    spec = REGISTRY[key]
    text = raw if isinstance(raw, bool) else str(raw if raw is not None else "").strip()
    if spec.kind is bool:
        if isinstance(text, bool):
            return text
        if text.lower() in {"1", "true", "yes", "是"}:
            return True
        if text.lower() in {"0", "false", "no", "否"}:
            return False
        raise ValidationError(f"“{spec.label}”只能填“是”或“否”")
    if spec.kind is str:
        if spec.check:
            spec.check(text)
        return text
    if text == "":
        raise ValidationError(f"请填写“{spec.label}”的新值")
    if spec.kind is int:
        if not re.fullmatch(r"-?\d+", text):
            raise ValidationError(f"“{spec.label}”须为整数，“{text}”不是整数")
        value = int(text)
    else:
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationError(f"“{spec.label}”须为数字，“{text}”不是数字") from None
        if not value.is_finite():
            raise ValidationError(f"“{spec.label}”须为数字，“{text}”不是数字")
    if spec.minimum is not None and value < spec.minimum:
        raise ValidationError(f"“{spec.label}”不能小于 {spec.minimum}{_unit(spec)}")
    if spec.maximum is not None and value > spec.maximum:
        raise ValidationError(f"“{spec.label}”不能大于 {spec.maximum}{_unit(spec)}")
    if spec.check:
        spec.check(value)
    return value


def _unit(spec: Param) -> str:
    return "" if spec.unit in ("", RATIO) else spec.unit


def display(key: str, value) -> str:
    """A value as the page shows it: 是/否, 30%, 7 天."""
    spec = REGISTRY[key]
    if spec.kind is bool:
        return "是" if value else "否"
    if spec.kind is str:
        if spec.check is _category_codes and value:
            return "、".join(categories.label(c.strip()) for c in value.split(",") if c.strip())
        return value or "（未设置）"
    if spec.unit == RATIO:
        return f"{(Decimal(value) * 100).normalize():f}%"
    if spec.unit.startswith("元"):
        return f"{Decimal(value).quantize(Decimal('0.01'))} {spec.unit}"
    return f"{value} {_unit(spec)}".strip()


@dataclass
class ParamRow:
    key: str
    spec: Param
    area: str
    value: object  # in force on the day asked
    value_display: str
    default_display: str
    since: dt.date | None  # effective_from of the value in force; None = the default
    upcoming: list  # Parameter rows effective after the day, soonest first
    history: list  # Parameter rows effective on or before the day, newest first


def overview(on: dt.date | None = None) -> list[ParamRow]:
    """Every registered parameter with its value in force `on`, upcoming changes and history (one query)."""
    on = on or timezone.localdate()
    rows: dict[str, list] = {}
    for p in Parameter.objects.select_related("created_by").order_by("key", "-effective_from", "-id"):
        rows.setdefault(p.key, []).append(p)
    order = list(AREAS)
    keys = sorted(REGISTRY, key=lambda k: (order.index(k.split(".")[0]) if k.split(".")[0] in order else 99))
    result = []
    for key in keys:
        spec = REGISTRY[key]
        history = [p for p in rows.get(key, []) if p.effective_from <= on]
        upcoming = sorted((p for p in rows.get(key, []) if p.effective_from > on), key=lambda p: p.effective_from)
        current = _coerce(key, history[0].value) if history else spec.default
        for p in history + upcoming:
            p.value_display = display(key, _coerce(key, p.value))
        result.append(ParamRow(
            key=key, spec=spec, area=area_of(key), value=current, value_display=display(key, current),
            default_display=display(key, spec.default), since=history[0].effective_from if history else None,
            upcoming=upcoming, history=history,
        ))
    return result


CACHE_SECONDS = 60


LOCAL_SECONDS = 10  # per-process memo in front of the shared cache (read on every request by some keys)
_local: dict[str, tuple[float, list]] = {}


def _history(key: str) -> list[tuple[dt.date, str]]:
    """All values of a key, newest first; cached briefly (cleared by parameter_write).

    Two levels: this process keeps a value for LOCAL_SECONDS, the shared cache for CACHE_SECONDS, so a
    change made in another process is seen within seconds and a page view costs no cache round trip.
    """
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


def parameter_write(*, actor, key: str, value, effective_from: dt.date, reason: str):
    """Set `key` to `value` from `effective_from` (a later row for the same day replaces it); audited.

    No role check here: callers go through accounts.parameters.services.parameter_set, which lets only
    roles with Action.PARAMS_CHANGE. The page refuses dates before today; the service accepts them so
    that a published rule can be recorded from its own date.
    """
    if key not in REGISTRY:
        raise ValidationError(f"未知参数 {key}")
    if not reason or not reason.strip():
        raise ValidationError("调整参数必须说明原因")
    if not isinstance(effective_from, dt.date):
        raise ValidationError("请填写生效日期")
    coerced = validate(key, value)
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


def parameter_withdraw(*, actor, key: str, effective_from: dt.date, reason: str):
    """Withdraw a change that has not taken effect yet (effective_from after today); audited.

    Values that have been in force are history and are never removed. No role check here (see
    `parameter_write`): callers go through accounts.parameters.services.parameter_cancel.
    """
    if not reason or not reason.strip():
        raise ValidationError("撤销待生效的调整必须说明原因")
    if effective_from <= timezone.localdate():
        raise ValidationError("已经生效的参数值不能撤销，请设置新的值")
    with transaction.atomic():
        row = Parameter.objects.select_for_update().filter(key=key, effective_from=effective_from).first()
        if row is None:
            raise ValidationError("没有找到该待生效的调整")
        audit.record(actor=actor, action="parameter.cancel", obj=row,
                     before={"value": row.value, "effective_from": effective_from.isoformat()}, after=None,
                     reason=reason, category=audit.Category.ADMIN, object_repr=REGISTRY.get(key, Param("", str, key)).label)
        row.delete()
        transaction.on_commit(lambda: cache.delete(f"param:{key}"))
    cache.delete(f"param:{key}")
