"""The audit trail people can read (issue #20 item 5): Chinese labels for actions and fields, the actor's name and
role, the object as a link, before → after values rendered and masked, filters and export.

The events themselves stay as recorded (core.AuditEvent, append-only); this module only reads and renders them.
Which events a user may read is `accounts.selectors.audit_trail_for`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from accounts.models import Role
from accounts.selectors import audit_trail_for
from core.models import AuditEvent

OBJECT_TYPES = {
    "cases.household": ("家庭", "cases:household_detail"),
    "cases.person": ("家庭成员", ""),
    "cases.application": ("救助申请", "cases:application_detail"),
    "cases.entitlement": ("救助待遇", ""),
    "cases.notice": ("书面通知", "cases:notice_detail"),
    "cases.recheck": ("复核", "cases:recheck_do"),
    "cases.tekunprofile": ("特困人员", "cases:tekun_detail"),
    "cases.temporaryaid": ("临时救助", "cases:aid_detail"),
    "cases.meeting": ("集体研究会议", "cases:meeting_detail"),
    "cases.paymenthold": ("暂停发放", ""),
    "funds.paymentbatch": ("发放批次", "funds:batch_detail"),
    "funds.exportjob": ("导出任务", "funds:export_status"),
    "funds.payeeaccount": ("发放账户", ""),
    "monitoring.clue": ("疑点线索", "monitoring:clue_detail"),
    "monitoring.comparisonrun": ("数据比对", "monitoring:run_detail"),
    "audit.complaint": ("信访投诉", "audit:complaint_detail"),
    "audit.spotcheck": ("县级抽查", "audit:spotcheck_detail"),
    "audit.spotcheckitem": ("抽查案件", "audit:spotcheck_item"),
    "audit.staffmember": ("近亲属备案人员", "audit:staff_detail"),
    "core.parameter": ("参数", ""),
    "accounts.user": ("用户", ""),
    "page": ("页面", ""),
}

VERBS = {
    "create": "新建", "update": "修改", "add": "添加", "remove": "删除", "delete": "删除", "set": "设置",
    "open": "开启", "close": "关闭", "finding": "记录结论", "answer": "答复", "register": "登记", "assign": "交办",
    "step": "办理", "transfer": "转办", "issue": "出具", "delivered": "送达", "place": "设置", "release": "解除",
    "draft": "生成", "regenerate": "重新生成", "supplement": "补发", "bank_result": "导入银行结果",
    "request": "申请", "retry": "重试", "download": "下载", "verify": "核实", "flagged": "标记", "end": "终止",
    "confirm": "确认", "refuse": "不予确认", "withdraw": "撤回", "extend": "延期", "submit": "提交",
    "investigate": "调查", "review": "民主评议", "object": "公示异议", "visit": "探访", "upload": "上传",
    "finished": "完成", "failed": "失败", "cancel": "撤销", "finalised": "定稿", "funds_requested": "申请资金",
    "transferred": "财政拨付", "sent_to_bank": "送银行", "closed": "关闭", "cancelled": "作废",
}

ACTIONS = {
    "export": "导出", "pii.reveal": "查看完整号码", "pii.view_minor": "查看未成年人信息", "access.denied": "越权访问被拒绝",
    "login.success": "登录", "login.failed": "登录失败", "login.lockout": "账号锁定", "login.token": "获取接口令牌",
    "login.refused_locked": "锁定期间登录被拒", "logout": "退出登录", "person.confirm_death": "确认死亡",
    "relative.flagged": "标记近亲属备案对象", "entitlement.recheck_requested": "提前复核",
    "entitlement.phase_out_ended": "渐退期满终止", "household.residence_lookup": "居住地申请查询",
    "temporary_aid.fast_grant": "小金额先行救助", "temporary_aid.paperwork": "提交事后补充说明",
    "temporary_aid.location_rule": "急难发生地救助规则", "tekun.self_care_assess": "自理能力评估",
    "tekun.agreement_sign": "签订委托照料协议", "tekun.visitor_assign": "指定探访人", "tekun.return_home": "返回分散供养",
    "tekun.obligor_add": "登记义务人", "meeting.record": "记录集体研究会议", "monitoring.snapshot": "重新统计月度数据",
    "payment_export.request": "生成一卡通文件", "payment_export.download": "下载一卡通文件",
    "payment_batch.bank_result": "导入银行发放结果", "keys.rotation_start": "开始密钥轮换", "keys.rotation_done": "完成密钥轮换",
    "keys.add_version": "新增密钥版本", "reserve_fund.top_up": "备用金拨付", "price_index.set": "录入价格指数",
    "standard.add": "新增低保标准", "care_standard.add": "新增照料标准", "workday.set": "设置工作日",
    "workday.delete": "删除工作日设置", "user.password_change": "修改密码", "grant.add": "授予对象权限",
    "grant.remove": "收回对象权限", "comparison.requeue_stale": "重新排队中断的比对",
    "spotcheck.finding": "记录抽查结论", "spotcheck.answer": "答复抽查问题", "clue.finding": "记录线索核查结论",
    "reports.snapshot": "生成指标月度汇总",
}

SUBJECTS = {
    "application": "申请", "household": "家庭", "person": "成员", "income": "收入", "property": "财产",
    "expense": "刚性支出", "entitlement": "待遇", "recheck": "复核", "notice": "通知书", "payment_batch": "发放批次",
    "payment_hold": "暂停发放", "payee": "发放账户", "clue": "线索", "comparison": "数据比对", "complaint": "信访投诉",
    "spotcheck": "抽查", "relatives": "近亲属备案", "tekun": "特困", "institution": "供养机构", "user": "用户",
    "parameter": "参数", "temporary_aid": "临时救助", "meeting": "会议",
}

ROLE_LABELS = dict(Role.choices)
SENSITIVE = re.compile(r"(id_number|id_cipher|phone|card|password|secret|token)", re.I)
ID_LIKE = re.compile(r"\b(\d{6})\d{8}(\d{3}[\dXx])\b")
PHONE_LIKE = re.compile(r"\b(1\d{2})\d{4}(\d{4})\b")


def action_label(action: str) -> str:
    if action in ACTIONS:
        return ACTIONS[action]
    subject, _, verb = action.partition(".")
    if not verb:
        return VERBS.get(subject, action)
    return f"{VERBS.get(verb, verb)}{SUBJECTS.get(subject, '')}" if subject in SUBJECTS or verb in VERBS else action


def mask_value(key: str, value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, dict)):
        text = "；".join(f"{k}：{v}" for k, v in value.items()) if isinstance(value, dict) else "、".join(map(str, value))
    else:
        text = str(value)
    if SENSITIVE.search(key) and "masked" not in key:
        return "＊＊＊（已隐藏）"
    text = ID_LIKE.sub(lambda m: m.group(1) + "********" + m.group(2), text)
    text = PHONE_LIKE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
    return text[:300]


_FIELD_WORDS = {"what": "内容", "filters": "筛选条件", "rows": "行数", "format": "格式", "full_numbers": "含完整号码",
                "status": "状态", "reason": "原因", "value": "值", "effective_from": "生效日期", "field": "字段",
                "action": "动作", "staff": "备案人员", "followup": "后续程序", "note": "说明", "sampled": "抽中数"}


def _field(object_type: str, key: str):
    try:
        model = apps.get_model(object_type) if "." in object_type else None
    except (LookupError, ValueError):
        return None
    if model is None:
        return None
    try:
        return model._meta.get_field(key[:-3] if key.endswith("_id") else key)
    except FieldDoesNotExist:
        return None


def field_label(object_type: str, key: str) -> str:
    if key in _FIELD_WORDS:
        return _FIELD_WORDS[key]
    field = _field(object_type, key)
    return str(getattr(field, "verbose_name", key)) if field is not None else key


def choice_label(object_type: str, key: str, value):
    """A stored choice code shown as its Chinese label (status "refused" → 不予确认)."""
    field = _field(object_type, key)
    choices = dict(getattr(field, "flatchoices", None) or ()) if field is not None else {}
    return choices.get(value, value) if isinstance(value, str) else value


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Row:
    event: AuditEvent
    action_label: str
    actor_name: str
    role_label: str
    object_label: str
    object_url: str
    changes: list


def object_url(object_type: str, object_id: str) -> str:
    name = OBJECT_TYPES.get(object_type, ("", ""))[1]
    if not name or not object_id.isdecimal():
        return ""
    try:
        return reverse(name, args=[int(object_id)])
    except NoReverseMatch:
        return ""


def render(event: AuditEvent) -> Row:
    before, after = event.before or {}, event.after or {}
    if not isinstance(before, dict):
        before = {"value": before}
    if not isinstance(after, dict):
        after = {"value": after}
    keys = list(dict.fromkeys([*before, *after]))
    t = event.object_type
    changes = [Change(field_label(t, k), mask_value(k, choice_label(t, k, before.get(k))) if k in before else "",
                      mask_value(k, choice_label(t, k, after.get(k))) if k in after else "") for k in keys]
    actor = event.actor
    name = (actor.full_name or actor.username) if actor is not None else (event.actor_username or "系统")
    type_label = OBJECT_TYPES.get(event.object_type, (event.object_type, ""))[0]
    return Row(event, action_label(event.action), name, ROLE_LABELS.get(event.actor_role, event.actor_role or "—"),
               type_label, object_url(event.object_type, event.object_id), changes)


FILTERS = ("object_type", "object_id", "actor", "region", "action", "category", "from", "to")


def events(*, user, f) -> object:
    """The events the user may read, narrowed by the filters (`f`: a QueryDict or dict)."""
    qs = audit_trail_for(user).select_related("actor")
    if f.get("actor"):
        who = f["actor"].strip()
        qs = qs.filter(Q(actor_username=who) | Q(actor__full_name=who))
    if f.get("object_type"):
        qs = qs.filter(object_type=f["object_type"])
    if f.get("object_id"):
        qs = qs.filter(object_id=f["object_id"].strip())
    if f.get("action"):
        qs = qs.filter(Q(action=f["action"]) | Q(action__startswith=f["action"] + "."))
    if f.get("category"):
        qs = qs.filter(category=f["category"])
    region = (f.get("region") or "").strip()
    if re.fullmatch(r"\d{6}|\d{9}|\d{12}", region):
        field = {6: "county_code", 9: "township_code", 12: "village_code"}[len(region)]
        qs = qs.filter(**{field: region})
    for key, lookup in (("from", "at__date__gte"), ("to", "at__date__lte")):
        if f.get(key):
            try:
                qs = qs.filter(**{lookup: dt.date.fromisoformat(f[key])})
            except ValueError:
                pass
    return qs.order_by("-at", "-id")


def action_choices() -> list[tuple[str, str]]:
    """Filter choices: whole subjects (e.g. every application.* action) and the common single actions."""
    subjects = [(k, f"{v}（全部操作）") for k, v in SUBJECTS.items()]
    return subjects + sorted(ACTIONS.items(), key=lambda kv: kv[1])


def export_rows(qs):
    for e in qs.iterator(chunk_size=2000):
        r = render(e)
        yield [e.at, r.actor_name, r.role_label, e.get_category_display(), r.action_label, r.object_label,
               e.object_repr, "；".join(f"{c.label}：{c.before or '—'} → {c.after or '—'}" for c in r.changes),
               e.reason, e.ip or ""]


EXPORT_HEADER = ["时间", "操作人", "角色", "类别", "动作", "对象类型", "对象", "变更（前 → 后）", "原因", "IP"]
