"""信访/投诉举报 ledger (§11, §12-3)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.scope import RestrictedQuerySet
from core.names import FREE_TEXT_MAX, validate_name
from core.sealing import BlindIndexField, SealedPhoneMixin, SealedRowMixin


class Complaint(SealedPhoneMixin, SealedRowMixin):
    sealed_fields = {"phone_cipher": "phone", "id_cipher": "id_number"}

    class Source(models.TextChoices):
        HOTLINE = "hotline", "12345热线"
        LETTER = "letter", "来信"
        VISIT = "visit", "来访"
        ONLINE = "online", "网上信访"

    class Category(models.TextChoices):
        MISSED = "missed", "应保未保（漏保）"
        WRONGLY_IN = "wrongly_in", "不应保而保（错保）"
        AMOUNT = "amount", "待遇金额"
        PAYMENT = "payment", "资金发放"
        CONDUCT = "conduct", "工作作风"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        REGISTERED = "registered", "已登记"
        HANDLING = "handling", "办理中"
        REPLIED = "replied", "已答复"
        CLOSED = "closed", "已办结"
        TRANSFERRED = "transferred", "已转办"

    number = models.CharField("编号", max_length=20, unique=True)
    source = models.CharField("来源", max_length=10, choices=Source)
    received_on = models.DateField("受理日期", default=timezone.localdate)
    complainant_name = models.CharField("信访人", max_length=50, validators=[validate_name])
    phone_cipher = models.BinaryField(null=True, blank=True, editable=False)
    phone_masked = models.CharField("联系电话", max_length=20, blank=True)
    id_cipher = models.BinaryField(null=True, blank=True, editable=False)
    id_index = BlindIndexField(blank=True, db_index=True, editable=False)
    id_masked = models.CharField("身份证号码", max_length=18, blank=True, editable=False)
    household = models.ForeignKey("cases.Household", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="complaints", verbose_name="涉及家庭")
    category = models.CharField("类别", max_length=12, choices=Category)
    summary = models.CharField("事项摘要", max_length=200)
    content = models.TextField("反映内容", max_length=FREE_TEXT_MAX)
    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey("core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="承办乡镇")
    village = models.ForeignKey("core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    due_on = models.DateField("办理期限")
    status = models.CharField("状态", max_length=12, choices=Status, default=Status.REGISTERED, db_index=True)
    result = models.TextField("办理结果", blank=True, max_length=FREE_TEXT_MAX)
    satisfied = models.BooleanField("是否满意", null=True, blank=True)
    is_repeat = models.BooleanField("重复信访", default=False)
    counselling_referral = models.BooleanField("转介心理疏导", default=False)
    transferred_to = models.CharField("转办单位", max_length=100, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "信访投诉"
        verbose_name_plural = "信访投诉"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["county", "status", "due_on"], name="complaint_county_open")]
        constraints = [
            models.CheckConstraint(condition=Q(status="closed", closed_on__isnull=False) | ~Q(status="closed"),
                                   name="complaint_closed_has_date"),
        ]

    def __str__(self):
        return f"{self.number} {self.summary}"


    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.CLOSED, self.Status.TRANSFERRED)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()


class ComplaintStep(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("环节", max_length=30)
    note = models.TextField("办理情况", max_length=FREE_TEXT_MAX)

    class Meta:
        ordering = ["at", "id"]
