"""Write notices to applicants into the outbox and send them; edit the templates (city)."""
from __future__ import annotations

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.scope import Action, handles, require
from attachments import checklist
from cases.models import Household
from core import audit, pii
from core.queue import enqueue_on_commit
from notifications.backends import SendError, get_backend
from notifications.models import Kind, MessageTemplate, Notification

DEFAULTS = {
    Kind.DECISION_CONFIRMED: "【焦作民政】{户主}您好，您家的{类别}申请（{编号}）已于{日期}审核确认，月救助金{金额}元。"
                             "如有疑问请联系{乡镇}。",
    Kind.DECISION_REFUSED: "【焦作民政】{户主}您好，您家的{类别}申请（{编号}）经审核不予确认，书面通知书将送达，"
                           "请留意理由说明。如有异议可向{乡镇}或县民政局申请复查。",
    Kind.DOCUMENTS: "【焦作民政】{户主}您好，您家的{类别}申请（{编号}）还需补交：{缺少材料}。请于{截止日期}前交到{乡镇}。",
    Kind.PUBLICITY: "【焦作民政】{户主}您好，您家的{类别}申请（{编号}）自{日期}起在村（居）公示，公示期满后审核确认。",
    Kind.PAYMENT_FAILED: "【焦作民政】{户主}您好，您家{月份}的救助金{金额}元发放未成功，请携银行卡到{乡镇}核对账户信息。",
}
PLACEHOLDERS = ("户主", "编号", "类别", "日期", "金额", "缺少材料", "截止日期", "乡镇", "月份")
_FIELD = re.compile(r"\{([^{}]*)\}")
# 15- or 18-digit ID numbers (and any long run of digits a clerk might paste): never in a message
_ID_LIKE = re.compile(r"\d{15,17}[\dXx]?")
MAX_LENGTH = 300


def template_body(kind: str) -> str:
    row = MessageTemplate.objects.filter(kind=kind).first()
    return row.body if row else DEFAULTS[kind]


def validate_template(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "请填写短信内容"})
    if len(body) > MAX_LENGTH:
        raise ValidationError({"body": f"短信内容不能超过 {MAX_LENGTH} 字"})
    unknown = [name for name in _FIELD.findall(body) if name not in PLACEHOLDERS]
    if unknown:
        raise ValidationError({"body": f"不认识的占位符：{'、'.join('{' + n + '}' for n in unknown)}；可用："
                                       + "、".join("{" + p + "}" for p in PLACEHOLDERS)})
    if _ID_LIKE.search(body):
        raise ValidationError({"body": "短信中不得出现身份证号码或银行卡号等长数字"})
    return body


def render(body: str, values: dict) -> str:
    text = _FIELD.sub(lambda m: str(values.get(m.group(1), "")), body)
    return _ID_LIKE.sub(lambda m: "*" * len(m.group(0)), text)  # a value that smuggles a number in is masked


def template_set(*, actor, kind: str, body: str) -> MessageTemplate:
    require(actor, Action.PARAMS_CHANGE, refuse="只有市级管理员可以修改短信模板")
    if kind not in Kind.values:
        raise ValidationError({"kind": "未知的通知类别"})
    body = validate_template(body)
    with transaction.atomic():
        row, _ = MessageTemplate.objects.select_for_update().get_or_create(kind=kind, defaults={"body": body})
        before = row.body if not _ else DEFAULTS[kind]
        row.body, row.updated_by, row.updated_at = body, actor, timezone.now()
        row.save()
        audit.record(actor=actor, action="notification.template", obj=row, before={"body": before},
                     after={"body": body}, category=audit.Category.ADMIN, region=("", "", ""))
    return row


def _values(app, **extra) -> dict:
    household = app.household
    return {"户主": household.head_name, "编号": app.number, "类别": app.get_kind_display(),
            "乡镇": app.handling_township.name, "日期": f"{timezone.localdate():%Y年%-m月%-d日}", **extra}


def queue(*, kind: str, household, application=None, values: dict, actor=None, payment_line_id=None) -> Notification:
    """One message into the outbox (inside the caller's transaction); sent after commit."""
    body = render(template_body(kind), values)
    note = Notification(kind=kind, household=household, application=application, recipient=household.head_name,
                        body=body, created_by=actor if getattr(actor, "is_authenticated", False) else None,
                        payment_line_id=payment_line_id, county_id=household.county_id,
                        township_id=household.township_id, village_id=household.village_id)
    phone = household.reveal_phone()
    try:
        note.set_phone(phone) if phone else None
    except ValidationError:
        phone = ""
    if not phone:
        note.status = Notification.Status.NO_PHONE
    note.save()
    if note.status == Notification.Status.QUEUED:
        enqueue_on_commit("notifications.tasks.send_one", note.pk)
    return note


def notify_application(*, kind: str, application, actor=None, **extra) -> Notification:
    values = _values(application, **extra)
    if kind == Kind.DECISION_CONFIRMED and application.monthly_amount is not None:
        values["金额"] = f"{application.monthly_amount:,.2f}"
    return queue(kind=kind, household=application.household, application=application, values=values, actor=actor)


def request_documents(*, actor, application, due_on) -> Notification:
    """The caseworker asks the applicant for the documents the checklist still misses."""
    if not handles(actor, Action.CASE_PROCESS, application, application.handling_township_id):
        raise ValidationError("只有受理乡镇（街道）的经办人可以通知申请人补交材料")
    missing = checklist.missing(application)
    if not missing:
        raise ValidationError("材料已齐全，无需通知补交")
    if due_on is None or due_on < timezone.localdate():
        raise ValidationError({"due_on": "请填写今天或以后的补交截止日期"})
    with transaction.atomic():
        note = notify_application(kind=Kind.DOCUMENTS, application=application, actor=actor,
                                  缺少材料="、".join(missing), 截止日期=f"{due_on:%Y年%-m月%-d日}")
        audit.record(actor=actor, action="notification.documents", obj=application,
                     after={"missing": missing, "due_on": due_on.isoformat(), "notification": note.pk})
    return note


def send_one(pk: int) -> str:
    """Send one queued message (row-locked: two workers never send it twice)."""
    backend = get_backend()
    with transaction.atomic():
        note = Notification.objects.select_for_update(skip_locked=True).filter(
            pk=pk, status=Notification.Status.QUEUED).first()
        if note is None:
            return "skipped"
        note.attempts += 1
        note.backend = backend.name
        try:
            result = backend.send(phone=note.reveal_phone(), body=note.body)
        except SendError as exc:
            note.status, note.error = Notification.Status.FAILED, str(exc)[:200]
        else:
            note.status, note.sent_at, note.gateway_id, note.error = (Notification.Status.SENT, timezone.now(),
                                                                      result.gateway_id, "")
        note.save(update_fields=["attempts", "backend", "status", "error", "sent_at", "gateway_id"])
        return note.status


def retry_failed(*, limit: int = 500) -> int:
    """Put failed messages back in the queue (the periodic task) and send them."""
    pks = list(Notification.objects.filter(status=Notification.Status.FAILED, attempts__lt=5)
               .values_list("pk", flat=True)[:limit])
    Notification.objects.filter(pk__in=pks).update(status=Notification.Status.QUEUED)
    for pk in pks:
        send_one(pk)
    return len(pks)


def mask_for_display(phone: str) -> str:
    return pii.mask_phone(phone)


def notify_payment_failures(batch_id: int) -> int:
    """One 发放异常 message per line of the batch the bank returned as failed (sent once per line: the database
    refuses a second notice for the same line). Queued by the bank-result import by task name; the payment line
    is looked up by its model name, since notifications and funds stand on the same floor and never import each
    other."""
    line_model = apps.get_model("funds", "PaymentLine")
    failed = line_model.BankStatus.FAILED
    lines = (line_model.objects.filter(batch_id=batch_id, bank_status=failed)
             .exclude(pk__in=Notification.objects.filter(payment_line_id__isnull=False).values("payment_line_id"))
             .values("pk", "household_id", "month", "amount"))
    households = {h.pk: h for h in Household.objects.filter(pk__in=[row["household_id"] for row in lines])
                  .select_related("township")}
    sent = 0
    for row in lines:
        household = households.get(row["household_id"])
        if household is None:
            continue
        values = {"户主": household.head_name, "月份": f"{row['month']:%Y年%-m月}", "金额": f"{row['amount']:,.2f}",
                  "乡镇": household.township.name, "日期": f"{timezone.localdate():%Y年%-m月%-d日}"}
        try:
            with transaction.atomic():
                queue(kind=Kind.PAYMENT_FAILED, household=household, values=values, payment_line_id=row["pk"])
        except IntegrityError:  # another run sent it first
            continue
        sent += 1
    return sent
