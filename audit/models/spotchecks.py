"""County spot-checks of township decisions (§5): a reproducible stratified sample with findings."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.scope import RestrictedQuerySet
from core.names import FREE_TEXT_MAX


class SpotCheck(models.Model):
    class Status(models.TextChoices):
        REVIEWING = "reviewing", "抽查中"
        CLOSED = "closed", "已结束"

    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("抽查月份", help_text="该月作出的审核确认（含不予确认）决定")
    seed = models.BigIntegerField("随机种子")
    ratio = models.DecimalField("抽查比例", max_digits=4, decimal_places=2)
    relative_ratio = models.DecimalField("近亲属备案对象抽查比例", max_digits=4, decimal_places=2)
    population = models.PositiveIntegerField("决定总数")
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.REVIEWING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField("抽查结论", blank=True, max_length=FREE_TEXT_MAX)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "县级抽查"
        verbose_name_plural = "县级抽查"
        ordering = ["-month", "county_id"]
        constraints = [models.UniqueConstraint(fields=["county", "month"], name="one_spotcheck_per_county_month")]

    def __str__(self):
        return f"{self.county}{self.month:%Y年%m月}抽查"


class SpotCheckItemQuerySet(RestrictedQuerySet):
    scope_prefix = ""


class SpotCheckItem(models.Model):
    class Stratum(models.TextChoices):
        GENERAL = "general", "一般抽查"
        RELATIVE = "relative", "近亲属备案对象"

    class Finding(models.TextChoices):
        PENDING = "", "待检查"
        CORRECT = "correct", "正确"
        WRONG = "wrong", "错误"
        REINVESTIGATE = "reinvestigate", "需重新调查"

    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey("cases.Application", on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField("抽样层", max_length=10, choices=Stratum)
    decision = models.CharField("乡镇决定", max_length=12)
    finding = models.CharField("检查结论", max_length=14, choices=Finding, blank=True, default="")
    finding_reason = models.TextField("问题及理由", blank=True, max_length=FREE_TEXT_MAX)
    home_visit = models.TextField("县级入户核查情况", blank=True, max_length=FREE_TEXT_MAX)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    answer_due = models.DateField("乡镇答复期限", null=True, blank=True)
    township_answer = models.TextField("乡镇答复", blank=True, max_length=FREE_TEXT_MAX)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = SpotCheckItemQuerySet.as_manager()

    class Meta:
        verbose_name = "抽查案件"
        verbose_name_plural = "抽查案件"
        ordering = ["township_id", "stratum", "application_id"]
        constraints = [
            models.UniqueConstraint(fields=["spot_check", "application"], name="spotcheck_item_unique"),
            models.CheckConstraint(condition=Q(finding__in=["", "correct"]) | ~Q(finding_reason=""),
                                   name="spotcheck_problem_has_reason"),
        ]

    @property
    def needs_answer(self) -> bool:
        return self.finding in (self.Finding.WRONG, self.Finding.REINVESTIGATE) and not self.township_answer

    @property
    def answer_overdue(self) -> bool:
        return self.needs_answer and self.answer_due is not None and self.answer_due < timezone.localdate()
