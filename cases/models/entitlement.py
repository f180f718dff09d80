from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.scope import RestrictedQuerySet
from cases.models.base import PlaceMixin
from cases.models.household import MONEY, Household


class EntitlementQuerySet(RestrictedQuerySet):
    def active_in(self, month):
        """Entitlements payable for the month (first day of month)."""
        return self.filter(
            status__in=[Entitlement.Status.ACTIVE, Entitlement.Status.PHASING_OUT],
            start_month__lte=month,
        ).filter(Q(end_month__isnull=True) | Q(end_month__gte=month))


class Entitlement(PlaceMixin):
    """A household's enrollment in a category, with its monthly amount (Decimal yuan)."""

    class Category(models.TextChoices):
        DIBAO = "dibao", "低保"
        TEKUN_CENTRAL = "tekun_central", "特困（集中供养）"
        TEKUN_DISPERSED = "tekun_dispersed", "特困（分散供养）"
        DIBAO_EDGE = "dibao_edge", "低保边缘"
        RIGID_EXPENSE = "rigid_expense", "刚性支出困难"
        MONITOR_UNSTABLE = "monitor_unstable", "防返贫监测（脱贫不稳定）"
        MONITOR_EDGE = "monitor_edge", "防返贫监测（边缘易致贫）"
        MONITOR_SUDDEN = "monitor_sudden", "防返贫监测（突发严重困难）"

    class Status(models.TextChoices):
        ACTIVE = "active", "正常享受"
        PHASING_OUT = "phasing_out", "渐退期"
        SUSPENDED = "suspended", "暂停"
        ENDED = "ended", "已终止"

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="entitlements")
    category = models.CharField("类别", max_length=20, choices=Category, db_index=True)
    status = models.CharField("状态", max_length=12, choices=Status, default=Status.ACTIVE, db_index=True)
    persons_covered = models.PositiveSmallIntegerField("保障人数")
    monthly_amount = models.DecimalField("月救助金额（元）", **MONEY)
    start_month = models.DateField("起始月份")
    end_month = models.DateField("终止月份", null=True, blank=True)
    next_recheck = models.DateField("下次复核", null=True, blank=True, db_index=True)
    reason = models.CharField("变动原因", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = EntitlementQuerySet.as_manager()

    class Meta:
        verbose_name = "救助待遇"
        verbose_name_plural = "救助待遇"
        ordering = ["-start_month", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_amount__gte=0), name="entitlement_amount_non_negative"),
            models.UniqueConstraint(
                fields=["household", "category"],
                condition=Q(status__in=["active", "phasing_out", "suspended"]),
                name="entitlement_one_open_per_household_category",
            ),
        ]
        indexes = [models.Index(fields=["county", "category", "status"], name="entitlement_county_cat")]

    def __str__(self):
        return f"{self.household} {self.get_category_display()}"
