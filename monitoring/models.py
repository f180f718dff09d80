"""Comparison runs, their staged rows and row problems, the clues they produce, and monthly counts."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.scope import RestrictedQuerySet
from core.jobs import Job
from core.models import BigPlaceMixin, place_follows_village
from core.names import FREE_TEXT_MAX, validate_name
from core.sealing import BlindIndexField, SealedRowMixin
from core.uploads import StoredUploadMixin
from monitoring.sources import SOURCE_CHOICES


class ComparisonRun(StoredUploadMixin, SealedRowMixin, Job):
    """One uploaded department file and the job that matches it (core.jobs: status, progress, heartbeat; a
    run whose worker died is marked interrupted and may be run again). The file is kept SM4-sealed for reruns
    (a sealed row: key rotation re-encrypts it like every other sealed column)."""

    sealed_fields = {"file_cipher": "file"}

    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+", verbose_name="县（市、区）")
    source = models.CharField("数据来源", max_length=20, choices=SOURCE_CHOICES, db_index=True)
    period = models.DateField("比对月份", help_text="该月第一天")
    rows_read = models.PositiveIntegerField("读取行数", default=0)
    rows_valid = models.PositiveIntegerField("有效行数", default=0)
    rows_invalid = models.PositiveIntegerField("无效行数", default=0)
    rows_upgraded = models.PositiveIntegerField("15位号码换算行数", default=0)
    rows_duplicate = models.PositiveIntegerField("重复行数", default=0)
    rows_unregistered = models.PositiveIntegerField("未登记的发现对象", default=0,
                                                    help_text="残联重度残疾人、乡村振兴监测对象中本系统无登记的人数")
    rows_matched = models.PositiveIntegerField("匹配到登记人员", default=0)
    clues_created = models.PositiveIntegerField("新生成线索", default=0)
    holds_placed = models.PositiveIntegerField("暂停发放", default=0)
    timings = models.JSONField("各步骤用时（秒）", default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="上传人")
    created_at = models.DateTimeField("上传时间", default=timezone.now, db_index=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "数据比对"
        verbose_name_plural = "数据比对"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["county", "period", "source"], name="run_county_period")]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="run_progress_max_100")]

    def __str__(self):
        return f"{self.get_source_display()} {self.period:%Y年%m月} {self.file_name}"


class RunIssue(models.Model):
    """A row of the file that was refused (invalid) or changed on reading (a 15-digit ID upgraded)."""

    class Kind(models.TextChoices):
        INVALID = "invalid", "无效"
        DUPLICATE = "duplicate", "重复"
        UPGRADED = "upgraded", "已换算"
        UNREGISTERED = "missing", "未登记（主动发现）"

    run = models.ForeignKey(ComparisonRun, on_delete=models.CASCADE, related_name="issues",
                            db_index=False)  # served by runissue_run_kind (run, kind, row)
    row_no = models.PositiveIntegerField("行号")
    kind = models.CharField("类型", max_length=10, choices=Kind)
    id_masked = models.CharField("身份证号", max_length=40, blank=True)
    message = models.CharField("说明", max_length=300)

    class Meta:
        verbose_name = "比对问题行"
        verbose_name_plural = "比对问题行"
        ordering = ["run", "row_no", "id"]
        indexes = [models.Index(fields=["run", "kind", "row_no"], name="runissue_run_kind")]


class StagingRow(models.Model):
    """The validated rows of a run while it is matched, on databases other than PostgreSQL (there each run
    stages into an unlogged table of its own, monitoring.staging.stage): row number and blind index only;
    emptied afterwards."""

    run_id = models.BigIntegerField(db_index=True)
    row_no = models.PositiveIntegerField()
    id_index = BlindIndexField()

    # No index on id_index: maintaining a B-tree of 200,000 random hashes costs more than the join saves
    # (the join probes the persons' unique index instead).


class ClueQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(status=Clue.Status.OPEN)


class Clue(BigPlaceMixin):
    """疑点线索: a task for the person's township. Only a caseworker's finding closes it (§12-5, no 一刀切).

    Written by the thousand by a comparison run (bulk COPY), read a page at a time: only the indexes its queries
    use (scope by place with status and deadline, the natural keys, the foreign keys a delete must check), and one
    region foreign key per row, the village (BigPlaceMixin)."""

    class Kind(models.TextChoices):
        DEATH = "death", "死亡"
        INCOME = "income", "收入变化"
        PROPERTY = "property", "财产变化"
        DISCOVERY = "discovery", "主动发现"
        DISABILITY = "disability", "残疾情况变化"
        CHANGE = "change", "家庭情况变化"

    class Status(models.TextChoices):
        OPEN = "open", "待核查"
        CONFIRMED = "confirmed", "属实"
        UNFOUNDED = "unfounded", "不属实"

    class FollowUp(models.TextChoices):
        NONE = "", "—"
        RECHECK = "recheck", "启动复核（低保/特困复核程序）"
        EXIT = "exit", "办理终止（死亡：终止待遇并出具终止通知）"
        APPLICATION = "application", "引导申请救助"
        RECORD_UPDATE = "record_update", "更新家庭档案"

    run = models.ForeignKey(ComparisonRun, on_delete=models.PROTECT, related_name="clues")
    source = models.CharField("数据来源", max_length=20, choices=SOURCE_CHOICES)
    kind = models.CharField("线索类别", max_length=12, choices=Kind)  # served by clue_natural_key (kind, …)
    fact_key = models.CharField("事实标识", max_length=100, blank=True,
                                help_text="同一人同一事实只生成一条线索（如车牌号、企业信用代码、结算年月）")
    # Empty for a person the system has never seen (主动发现 from a 残联 or 乡村振兴 file, placed by the
    # township and village the file names): the subject is then known by name and masked ID only.
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="clues")
    household = models.ForeignKey("cases.Household", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="clues")
    subject_name = models.CharField("姓名（未登记人员）", max_length=100, blank=True, validators=[validate_name])
    subject_id_masked = models.CharField("身份证号（未登记人员，脱敏）", max_length=40, blank=True)
    categories = models.CharField("在享类别", max_length=200, blank=True)
    summary = models.CharField("线索内容", max_length=300)
    event_date = models.DateField("事实日期", null=True, blank=True)
    amount = models.DecimalField("金额/数量", max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.OPEN)
    due_date = models.DateField("核查期限", db_index=True)
    hold = models.ForeignKey("cases.PaymentHold", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    followup = models.CharField("后续程序", max_length=16, choices=FollowUp, blank=True, default="")
    finding = models.TextField("核查情况", blank=True, max_length=FREE_TEXT_MAX)
    deceased_on = models.DateField("核实死亡日期", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", default=timezone.now)

    objects = ClueQuerySet.as_manager()

    class Meta:
        verbose_name = "疑点线索"
        verbose_name_plural = "疑点线索"
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "person", "fact_key"], name="clue_natural_key"),
            # a person not registered: fact_key carries the blind index of the ID, so reruns add nothing
            models.UniqueConstraint(fields=["kind", "fact_key"], condition=Q(person__isnull=True),
                                    name="clue_unregistered_key"),
            models.CheckConstraint(condition=Q(person__isnull=False) | ~Q(subject_name=""),
                                   name="clue_subject_named"),
            models.CheckConstraint(
                condition=Q(status="open") | (Q(closed_at__isnull=False) & ~Q(finding="")),
                name="clue_closed_has_finding",
            ),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="clue_amount_non_negative"),
            place_follows_village("clue_place_follows_village"),
        ]
        indexes = [
            models.Index(fields=["village", "status", "due_date"], name="clue_village_open"),
            models.Index(fields=["township", "status", "due_date"], name="clue_township_open"),
            models.Index(fields=["county", "status", "due_date"], name="clue_county_open"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}线索 {self.summary[:40]}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()

    @property
    def unregistered(self) -> bool:
        return self.person_id is None

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id else self.subject_name

    @property
    def display_id_masked(self) -> str:
        return self.person.id_masked if self.person_id else self.subject_id_masked


class MonthlySnapshot(models.Model):
    """Households and persons per category per township at a month's end (filled by beat and on demand)."""

    month = models.DateField("月份", db_index=True)
    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    category = models.CharField("类别", max_length=20)
    households = models.PositiveIntegerField("户数", default=0)
    persons = models.PositiveIntegerField("人数", default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "低收入人口月度统计"
        verbose_name_plural = "低收入人口月度统计"
        constraints = [
            models.UniqueConstraint(fields=["month", "township", "category"], name="snapshot_one_per_cell"),
        ]
        indexes = [models.Index(fields=["county", "month"], name="snapshot_county_month")]
