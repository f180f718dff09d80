"""Active discovery (§7): grids (一张网) with their workers and history, visits (巡查走访), the discovery ledger
(工作台账 / 一套表) and the screening records of the one intake (整件事).

Every row belongs to a village and carries its township and county (PlaceMixin), so scope is a WHERE clause.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.scope import RestrictedQuerySet
from core.models import PlaceMixin


class Grid(PlaceMixin):
    """A grid (网格) of one village and its current grid worker: a user, or a person named with a phone."""

    name = models.CharField("网格名称", max_length=50)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="grids", verbose_name="网格员（系统用户）")
    worker_name = models.CharField("网格员姓名", max_length=50)
    worker_phone = models.CharField("网格员电话", max_length=20, blank=True)
    note = models.CharField("范围说明", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "网格"
        verbose_name_plural = "网格"
        ordering = ["village", "name"]
        constraints = [models.UniqueConstraint(fields=["village", "name"], name="grid_unique_name_per_village")]

    def __str__(self):
        return self.name


class GridWorkerTerm(models.Model):
    """Who was the grid's worker, from when to when (the history kept when a grid is reassigned)."""

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="terms")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    worker_name = models.CharField("网格员姓名", max_length=50)
    worker_phone = models.CharField("网格员电话", max_length=20, blank=True)
    started_on = models.DateField("起始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    reason = models.CharField("调整原因", max_length=200, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "网格员任职记录"
        verbose_name_plural = "网格员任职记录"
        ordering = ["grid", "-started_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["grid"], condition=Q(ended_on__isnull=True),
                                               name="grid_one_current_worker")]


class GridMembership(PlaceMixin):
    """A household's grid from a date; moving it ends this row and opens another (history kept)."""

    household = models.ForeignKey("cases.Household", on_delete=models.PROTECT, related_name="grid_memberships")
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="memberships")
    started_on = models.DateField("划入日期", default=timezone.localdate)
    ended_on = models.DateField("划出日期", null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "网格家庭"
        verbose_name_plural = "网格家庭"
        ordering = ["grid", "household"]
        constraints = [models.UniqueConstraint(fields=["household"], condition=Q(ended_on__isnull=True),
                                               name="household_one_current_grid")]
        indexes = [models.Index(fields=["grid", "ended_on"], name="gridmember_grid_current")]


class Situation(models.TextChoices):
    """The short checklist of a visit: what was found in the household."""

    ILLNESS = "illness", "重病或长期患病"
    DISABILITY = "disability", "残疾"
    JOB_LOSS = "job_loss", "失业或收入骤减"
    DISASTER = "disaster", "灾害或意外事故"
    ELDERLY_ALONE = "elderly_alone", "独居或空巢老人"
    CHILD_NO_CARE = "child_no_care", "儿童无人照料"
    HOUSING = "housing", "住房困难或危房"
    SCHOOL = "school", "就学困难"
    OTHER = "other", "其他困难"


class Visit(PlaceMixin):
    """One patrol visit (巡查走访) to a household."""

    household = models.ForeignKey("cases.Household", on_delete=models.PROTECT, related_name="discovery_visits")
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, null=True, blank=True, related_name="visits")
    visited_on = models.DateField("走访日期")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name="走访人")
    seen = models.CharField("见到的人", max_length=100)
    situations = models.JSONField("发现的情况", default=list, blank=True)
    note = models.TextField("走访情况", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "巡查走访"
        verbose_name_plural = "巡查走访"
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["village", "-visited_on"], name="visit_village_recent"),
                   models.Index(fields=["household", "-visited_on"], name="visit_household_recent")]

    @property
    def situation_labels(self) -> list[str]:
        return [Situation(s).label for s in self.situations if s in Situation.values]


class LedgerRecord(PlaceMixin):
    """One line of the village's 工作台账: a household or person found, from any source, followed to an outcome."""

    class Source(models.TextChoices):
        VISIT = "visit", "巡查走访"
        VILLAGE_REPORT = "village_report", "村（社区）报告"
        HOTLINE = "hotline", "12345热线"
        COMPLAINT = "complaint", "投诉举报"
        DEPARTMENT = "department", "部门数据比对"
        RECHECK = "recheck", "复核排查"
        SELF_REPORT = "self_report", "本人申报"

    class Status(models.TextChoices):
        OPEN = "open", "跟进中"
        CLOSED = "closed", "已办结"

    class Outcome(models.TextChoices):
        NONE = "", "—"
        APPLICATION = "application", "已代办/受理救助申请"
        REFERRED_DEPARTMENT = "referred_department", "转介其他部门"
        REFERRED_CHARITY = "referred_charity", "转介慈善力量"
        NOT_ELIGIBLE = "not_eligible", "经核实不符合条件"
        EXIT_PROPOSED = "exit_proposed", "建议退出"

    household = models.ForeignKey("cases.Household", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="ledger_records", verbose_name="家庭")
    subject_name = models.CharField("对象姓名", max_length=100)
    source = models.CharField("发现途径", max_length=20, choices=Source)
    source_ref = models.CharField("来源标识", max_length=60, blank=True,
                                  help_text="如 monitoring.clue:12、discovery.visit:3；同一来源只记一条")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="records")
    found_on = models.DateField("发现日期", default=timezone.localdate)
    need = models.TextField("发现的困难")
    assistance = models.JSONField("可能的救助", default=list, blank=True)
    follow_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="跟进人")
    due_date = models.DateField("跟进期限", db_index=True)
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.OPEN, db_index=True)
    outcome = models.CharField("处理结果", max_length=24, choices=Outcome, blank=True, default="")
    outcome_note = models.TextField("结果说明", blank=True)
    application = models.ForeignKey("cases.Application", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="救助申请")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "工作台账记录"
        verbose_name_plural = "工作台账记录"
        ordering = ["status", "due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source_ref"], condition=~Q(source_ref=""), name="ledger_one_per_source"),
            # nothing closes without an outcome (§7)
            models.CheckConstraint(condition=Q(status="open") | (~Q(outcome="") & Q(closed_at__isnull=False)),
                                   name="ledger_closed_has_outcome"),
        ]
        indexes = [models.Index(fields=["village", "status", "due_date"], name="ledger_village_open"),
                   models.Index(fields=["township", "status", "due_date"], name="ledger_township_open")]

    def __str__(self):
        return f"{self.subject_name}（{self.get_source_display()}）"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()


class Screening(PlaceMixin):
    """整件事: one screening of a household against every kind of help, and what it opened."""

    household = models.ForeignKey("cases.Household", on_delete=models.PROTECT, related_name="screenings")
    record = models.ForeignKey(LedgerRecord, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="screenings")
    results = models.JSONField("筛查结果", default=list)
    opened = models.JSONField("已开启的申请", default=list, blank=True)
    referrals = models.JSONField("转介", default=list, blank=True)
    reason = models.TextField("申请事由")
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "一件事筛查"
        verbose_name_plural = "一件事筛查"
        ordering = ["-screened_at", "-id"]
