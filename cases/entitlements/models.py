"""A household's enrolment in a category with its monthly amount, and the rules every app asks of it."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.scope import RestrictedQuerySet
from cases.households.models import MONEY, Household
from core import categories
from core.models import BigPlaceMixin, place_follows_village

# The two rules every app asks about an entitlement, defined once (the SQL fragments below are derived from them):
# open — not ended: active, phasing out or suspended (at most one open per household and category);
# in force — open and not suspended: active or phasing out; payable for a month within its start and end months.
OPEN_STATUSES = ("active", "phasing_out", "suspended")
IN_FORCE_STATUSES = ("active", "phasing_out")


def _sql_in(alias: str, column: str, values) -> str:
    return f"{alias}.{column} IN ({', '.join(repr(v) for v in values)})"


def open_sql(alias: str = "e") -> str:
    """The open rule as a SQL condition for set-based statements (`alias` names the entitlement table)."""
    return _sql_in(alias, "status", OPEN_STATUSES)


def in_force_sql(alias: str = "e") -> str:
    return _sql_in(alias, "status", IN_FORCE_STATUSES)


def payable_sql(alias: str, month_param: str) -> str:
    """Payable for the month given by the placeholder `month_param` (e.g. "%(month)s")."""
    return (f"{in_force_sql(alias)} AND {alias}.start_month <= {month_param} "
            f"AND ({alias}.end_month IS NULL OR {alias}.end_month >= {month_param})")


class EntitlementQuerySet(RestrictedQuerySet):
    def open(self):
        """Not ended: active, phasing out or suspended."""
        return self.filter(status__in=OPEN_STATUSES)

    def in_force(self):
        """Active or phasing out (an open entitlement that is not suspended)."""
        return self.filter(status__in=IN_FORCE_STATUSES)

    def active_in(self, month):
        """Entitlements payable for the month (first day of month)."""
        return self.in_force().filter(start_month__lte=month).filter(
            Q(end_month__isnull=True) | Q(end_month__gte=month))


class Entitlement(BigPlaceMixin):  # place indexed in Meta.indexes
    """A household's enrollment in a category, with its monthly amount (Decimal yuan)."""

    Category = categories.Category

    class Status(models.TextChoices):
        ACTIVE = "active", "正常享受"
        PHASING_OUT = "phasing_out", "渐退期"
        SUSPENDED = "suspended", "暂停"
        ENDED = "ended", "已终止"

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="entitlements")
    category = models.CharField("类别", max_length=20, choices=Category)  # indexed in Meta.indexes
    status = models.CharField("状态", max_length=12, choices=Status, default=Status.ACTIVE)  # indexed in Meta.indexes
    persons_covered = models.PositiveSmallIntegerField("保障人数")
    monthly_amount = models.DecimalField("月救助金额（元）", **MONEY)
    start_month = models.DateField("起始月份")
    end_month = models.DateField("终止月份", null=True, blank=True)
    next_recheck = models.DateField("下次复核", null=True, blank=True, db_index=True)
    reason = models.CharField("变动原因", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = EntitlementQuerySet.as_manager()

    # For set-based SQL in other apps (funds' drafting, monitoring's matching): the same rules as the queryset.
    open_sql = staticmethod(open_sql)
    in_force_sql = staticmethod(in_force_sql)
    payable_sql = staticmethod(payable_sql)

    class Meta:
        verbose_name = "救助待遇"
        verbose_name_plural = "救助待遇"
        ordering = ["-start_month", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_amount__gte=0), name="entitlement_amount_non_negative"),
            models.UniqueConstraint(
                fields=["household", "category"],
                condition=Q(status__in=OPEN_STATUSES),
                name="entitlement_one_open_per_household_category",
            ),
            place_follows_village("entitlement_place_follows_village"),
        ]
        # plain btrees: every filter on these columns is an equality (db_index's LIKE twins were never used)
        indexes = [
            models.Index(fields=["county", "category", "status"], name="entitlement_county_cat"),
            models.Index(fields=["township"], name="entitlement_township"),
            models.Index(fields=["village"], name="entitlement_village"),
            models.Index(fields=["category"], name="entitlement_category"),
            models.Index(fields=["status"], name="entitlement_status"),
        ]

    def __str__(self):
        return f"{self.household} {self.get_category_display()}"


class EntitlementChange(models.Model):
    """A decided change of an entitlement that takes effect from a later month (a 特困 person's new self-care level
    or care form changes the amount, or the category 集中 ↔ 分散, from the next month): kept as history, applied
    on the effective month's first day (cases.tasks.entitlement_changes_apply) before that month's batch is drafted."""

    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="changes")
    effective_month = models.DateField("生效月份")
    amount_before = models.DecimalField("原月金额（元）", **MONEY)
    amount_after = models.DecimalField("新月金额（元）", **MONEY)
    category_after = models.CharField("新类别", max_length=20, choices=categories.Category, blank=True)
    reason = models.CharField("变更原因", max_length=200)
    applied_at = models.DateTimeField("执行时间", null=True, blank=True)
    cancelled = models.BooleanField("已被新的变更取代", default=False)
    new_entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name="转入的新类别待遇")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "待遇变更"
        verbose_name_plural = "待遇变更"
        ordering = ["-effective_month", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_after__gte=0), name="entitlement_change_non_negative"),
            models.UniqueConstraint(fields=["entitlement"], condition=Q(applied_at__isnull=True, cancelled=False),
                                    name="entitlement_one_pending_change"),
        ]
