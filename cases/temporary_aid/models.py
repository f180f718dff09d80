"""临时救助 (§4): the township reserve fund (备用金) and 先行救助 with its after-the-fact paperwork."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.scope import NOTHING, RestrictedQuerySet, scope_q
from cases.households.models import MONEY, Household, Person
from core.models import PlaceMixin
from core.names import FREE_TEXT_MAX


class ReserveFund(models.Model):
    """One per township. The balance is changed only under a row lock and can never go negative."""

    township = models.OneToOneField("core.Region", on_delete=models.PROTECT, related_name="+", primary_key=True)
    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    balance = models.DecimalField("余额（元）", default=0, **MONEY)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "乡镇临时救助备用金"
        verbose_name_plural = "乡镇临时救助备用金"
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="reserve_fund_never_negative")]

    def __str__(self):
        return f"{self.township}备用金"


class ReserveFundEntry(models.Model):
    class Kind(models.TextChoices):
        TOP_UP = "top_up", "拨入"
        DISBURSEMENT = "disbursement", "先行救助支出"
        RETURN = "return", "退回"

    fund = models.ForeignKey(ReserveFund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField("类型", max_length=14, choices=Kind)
    amount = models.DecimalField("金额（元）", **MONEY)
    balance_after = models.DecimalField("余额（元）", **MONEY)
    aid = models.ForeignKey("cases.TemporaryAid", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "备用金流水"
        verbose_name_plural = "备用金流水"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="reserve_entry_positive"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="reserve_entry_balance_non_negative"),
        ]


class TemporaryAidQuerySet(RestrictedQuerySet):
    def restrict(self, user, action):
        """The household's own places, plus the township that handled the emergency (it may differ)."""
        q = scope_q(user, action)
        if q == NOTHING:
            return self.none()
        handled = scope_q(user, action, prefix="handling_")
        if q.children and handled.children:
            (field, value), = handled.children
            if field == "handling_township_id":
                q = q | Q(handling_township_id=value)
        return self.filter(q)

    def granted(self):
        """Aid actually granted: paid from the reserve fund (fast track) or confirmed by the township (full
        procedure) — never pending applications nor refusals (the monthly counts use this)."""
        return self.filter(status__in=TemporaryAid.GRANTED)

    def awaiting_batch(self):
        """Confirmed full-procedure grants: paid once through a one-off payment batch (funds), never from the
        reserve fund."""
        return self.filter(track=TemporaryAid.Track.FULL, status=TemporaryAid.Status.COMPLETED)


class TemporaryAid(PlaceMixin):
    class AidType(models.TextChoices):
        EMERGENCY = "emergency", "急难型"
        EXPENDITURE = "expenditure", "支出型"

    class Track(models.TextChoices):
        FAST = "fast", "小金额先行救助"
        FULL = "full", "一般程序"

    class Status(models.TextChoices):
        PAID_PENDING_PAPERWORK = "pending_paperwork", "已先行发放，待补充说明"
        COMPLETED = "completed", "已办结"
        APPLYING = "applying", "按一般程序办理中"
        REFUSED = "refused", "不予救助"

    GRANTED = ("pending_paperwork", "completed")

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="temporary_aids")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="受助人")
    aid_type = models.CharField("救助类型", max_length=12, choices=AidType)
    track = models.CharField("办理方式", max_length=6, choices=Track)
    cause = models.TextField("困难情形", max_length=FREE_TEXT_MAX)
    handling_township = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+",
                                          verbose_name="实施救助的乡镇")
    emergency_place = models.CharField("急难发生地", max_length=100, blank=True)
    amount = models.DecimalField("救助金额（元）", **MONEY)
    status = models.CharField("状态", max_length=18, choices=Status, db_index=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True, verbose_name="审批人")
    granted_on = models.DateField("发放日期", default=timezone.localdate)
    paperwork_due = models.DateField("补充说明期限", null=True, blank=True, db_index=True)
    paperwork_submitted_on = models.DateField("补充说明日期", null=True, blank=True)
    paperwork = models.TextField("事后补充说明", blank=True, max_length=FREE_TEXT_MAX)
    linked_application = models.CharField("关联申请", max_length=100, blank=True,
                                          help_text="医疗救助申请编号等其他部门的申请")
    related_application = models.ForeignKey("cases.Application", on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="temporary_aids", verbose_name="关联的低保/特困申请")
    application = models.OneToOneField("cases.Application", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="temporary_aid", verbose_name="一般程序申请")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TemporaryAidQuerySet.as_manager()

    class Meta:
        verbose_name = "临时救助"
        verbose_name_plural = "临时救助"
        ordering = ["-granted_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="temporary_aid_positive"),
            models.CheckConstraint(condition=~Q(track="fast") | Q(paperwork_due__isnull=False),
                                   name="fast_aid_has_paperwork_due"),
            models.CheckConstraint(condition=~Q(track="full") | Q(application__isnull=False),
                                   name="full_aid_has_application"),
        ]

    def __str__(self):
        return f"{self.household} {self.get_aid_type_display()}临时救助 {self.amount}元"

    @property
    def payment_route(self) -> str:
        return "乡镇备用金先行支付" if self.track == self.Track.FAST else "县级临时救助一次性发放批次（社保卡）"

    @property
    def paperwork_overdue(self) -> bool:
        return (self.status == self.Status.PAID_PENDING_PAPERWORK and self.paperwork_due is not None
                and self.paperwork_due < timezone.localdate())


class EmergencyLocationRule(models.Model):
    """A county's switch (§4): during epidemics and disasters aid is granted where the emergency happened,
    not only at the hukou or residence township."""

    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    start = models.DateField("启用日期")
    end = models.DateField("停用日期", null=True, blank=True)
    reason = models.CharField("疫情/灾情", max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "急难发生地救助"
        verbose_name_plural = "急难发生地救助"
        ordering = ["-start"]
