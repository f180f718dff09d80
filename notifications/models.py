"""Notices to applicants: the editable message templates and the outbox (one row per message, per case).

The outbox is the database: a message is written in the transaction of the case's change (status queued) and
sent afterwards by the configured SMS backend (`notifications.backends`), so a gateway outage loses nothing.
The phone number is sealed like every phone number (SM4, masked copy for lists)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.scope import NOTHING, RestrictedQuerySet, grant_q, scope_q
from cases.dibao.models import handling_q
from core.models import PlaceMixin
from core.sealing import SealedPhoneMixin, SealedRowMixin


class Kind(models.TextChoices):
    DECISION_CONFIRMED = "confirmed", "审核确认结果"
    DECISION_REFUSED = "refused", "不予确认结果"
    DOCUMENTS = "documents", "补交材料"
    PUBLICITY = "publicity", "公示开始"
    PAYMENT_FAILED = "payment_failed", "发放异常"


class MessageTemplate(models.Model):
    kind = models.CharField("通知类别", max_length=20, choices=Kind, unique=True)
    body = models.TextField("短信内容")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "短信模板"
        verbose_name_plural = "短信模板"


class NotificationQuerySet(RestrictedQuerySet):
    """A message is the case's: seen where the household lives (its place) and by the township and county that
    handle the application — a 居住地申请 is handled by the residence township, not the hukou one."""

    def restrict(self, user, action: str):
        q = scope_q(user, action)
        if q == NOTHING:
            return self.none()
        if q == Q():  # city-wide reach
            return self.all()
        q |= handling_q(user, prefix="application__")
        extra = grant_q(user, self.model, action)
        if extra != NOTHING:
            q |= extra
        return self.filter(q)


class Notification(PlaceMixin, SealedPhoneMixin, SealedRowMixin):
    class Status(models.TextChoices):
        QUEUED = "queued", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"
        NO_PHONE = "no_phone", "无联系电话"

    sealed_fields = {"phone_cipher": "phone"}

    kind = models.CharField("通知类别", max_length=20, choices=Kind)
    application = models.ForeignKey("cases.Application", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="sms_notices", verbose_name="救助申请")
    household = models.ForeignKey("cases.Household", on_delete=models.PROTECT, related_name="sms_notices",
                                  verbose_name="家庭")
    payment_line_id = models.BigIntegerField(null=True, blank=True, editable=False)
    recipient = models.CharField("收信人", max_length=50)
    phone_cipher = models.BinaryField(null=True, blank=True, editable=False)
    phone_masked = models.CharField("手机号码", max_length=20, blank=True)
    body = models.TextField("内容")
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.QUEUED, db_index=True)
    backend = models.CharField("发送通道", max_length=30, blank=True)
    gateway_id = models.CharField("网关回执", max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    error = models.CharField("失败原因", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="发起人")
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "短信通知"
        verbose_name_plural = "短信通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["township", "-created_at"], name="notification_township_recent"),
                   models.Index(fields=["county", "-created_at"], name="notification_county_recent")]
        constraints = [
            # one notice per failed payment line, whatever runs the job twice at once
            models.UniqueConstraint(fields=["payment_line_id"], condition=models.Q(payment_line_id__isnull=False),
                                    name="notification_once_per_payment_line"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"
