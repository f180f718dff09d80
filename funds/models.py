"""Payments: payee accounts (sealed card numbers), monthly batches and their lines, exports, price indices.

Invariants that must never break live in the database:
- one open regular batch per county and month (conditional unique);
- a confirmed 临时救助 is paid at most once (one claiming line per aid, `line_one_off_aid_paid_once`);
- a household is paid at most once per month and pay category: `PaymentLine` rows that claim the
  payment slot (`claims_slot`) are unique on (household, month, category, basis) — drafts, finalised
  batches and supplementary batches alike; a cancelled or re-issued line gives its slot up;
- lines of a batch past the draft stage cannot change their money or payee, nor be deleted
  (triggers in migration 0002, on PostgreSQL and SQLite).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.scope import RestrictedQuerySet
from core import pii
from core.categories import Category
from core.jobs import Job
from core.models import BigPlaceMixin, PlaceMixin, place_follows_village
from core.names import validate_name
from core.sealing import BlindIndexField, SealedRowMixin
from core.uploads import StoredUploadMixin

MONEY = {"max_digits": 12, "decimal_places": 2}


class PayCategory(models.TextChoices):
    """What a payment line pays: the categories paid every month (codes and labels from core.categories),
    and two that are payments only: the price subsidy and a confirmed 临时救助 paid by a one-off batch."""

    DIBAO = Category.DIBAO.value, Category.DIBAO.label
    TEKUN_CENTRAL = Category.TEKUN_CENTRAL.value, Category.TEKUN_CENTRAL.label
    TEKUN_DISPERSED = Category.TEKUN_DISPERSED.value, Category.TEKUN_DISPERSED.label
    PRICE_SUBSIDY = "price_subsidy", "价格临时补贴"
    TEMPORARY_AID = "temporary_aid", "临时救助"


def seal_card(value: str, aad: str) -> tuple[bytes, str, str]:
    """A normalised card number as a payee row stores it: (ciphertext bound to `aad`, blind index, masked)."""
    return pii.seal(value, aad=aad), pii.index("card", value), pii.mask_card(value)


class PayeeAccount(BigPlaceMixin, SealedRowMixin):  # place indexed in Meta.indexes
    """The social-security card / bank account a household is paid to. A correction creates a new row
    (the old one is kept, inactive), so a finalised batch always points at the card it was made with."""

    sealed_fields = {"card_cipher": "card_number"}

    household = models.ForeignKey("cases.Household", on_delete=models.PROTECT, related_name="payee_accounts")
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="领取人")
    payee_name = models.CharField("领取人姓名", max_length=50, validators=[validate_name])
    card_cipher = models.BinaryField("卡号（密文）", editable=False)
    card_index = BlindIndexField("卡号盲索引", editable=False)  # indexed in Meta.indexes
    card_masked = models.CharField("社保卡号/银行账号", max_length=24, editable=False)
    bank_name = models.CharField("开户银行", max_length=60)
    active = models.BooleanField("当前使用", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    replaced_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "发放账户"
        verbose_name_plural = "发放账户"
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(active=True), name="payee_one_active_per_household"),
            place_follows_village("payee_place_follows_village"),
        ]
        # plain btrees: scope and card lookups are equalities (the LIKE twins of db_index were never used)
        indexes = [
            models.Index(fields=["county"], name="payee_county"),
            models.Index(fields=["township"], name="payee_township"),
            models.Index(fields=["village"], name="payee_village"),
            models.Index(fields=["card_index"], name="payee_card_index"),
        ]

    def __str__(self):
        return f"{self.payee_name} {self.bank_name} {self.card_masked}"

    def set_card(self, raw: str) -> None:
        self.card_cipher, self.card_index, self.card_masked = seal_card(pii.normalize_card(raw), self.aad("card_number"))

    def reveal_card(self) -> str:
        return pii.unseal(self.card_cipher, aad=self.aad("card_number"))


class BatchQuerySet(RestrictedQuerySet):
    def live(self):
        return self.exclude(status=PaymentBatch.Status.CANCELLED)


class PaymentBatch(models.Model):
    """One county's payment batch for one month (regular), or a supplementary batch re-issuing failed lines."""

    class Kind(models.TextChoices):
        REGULAR = "regular", "月度发放"
        SUPPLEMENTARY = "supplementary", "补发"
        ONE_OFF = "one_off", "临时救助一次性发放"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        FINALISED = "finalised", "已定稿"
        FUNDS_REQUESTED = "funds_requested", "已申请资金"
        TRANSFERRED = "transferred", "财政已拨付"
        SENT_TO_BANK = "sent_to_bank", "已送银行"
        RESULT_IMPORTED = "result_imported", "已导入发放结果"
        CLOSED = "closed", "已关闭"
        CANCELLED = "cancelled", "已作废"

    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+", verbose_name="县（市、区）")
    month = models.DateField("发放月份")  # first day of the month
    kind = models.CharField("类型", max_length=16, choices=Kind, default=Kind.REGULAR)
    sequence = models.PositiveSmallIntegerField("序号", default=1)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="supplements",
                               verbose_name="原批次")
    status = models.CharField("状态", max_length=20, choices=Status, default=Status.DRAFT, db_index=True)
    price_rate = models.DecimalField("价格补贴启动涨幅（%）", max_digits=5, decimal_places=2, null=True, blank=True)
    line_count = models.PositiveIntegerField("发放户数", default=0)
    excluded_count = models.PositiveIntegerField("暂停/剔除户数", default=0)
    total_amount = models.DecimalField("发放总额（元）", default=0, **MONEY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    drafted_at = models.DateTimeField("数据生成时间", default=timezone.now)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="定稿人")
    finalised_at = models.DateTimeField("定稿时间", null=True, blank=True)
    funds_requested_at = models.DateTimeField("申请资金时间", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="财政审核人")
    transferred_at = models.DateTimeField("财政拨付时间", null=True, blank=True)
    transfer_reference = models.CharField("拨付凭证号", max_length=60, blank=True)
    sent_at = models.DateTimeField("送银行时间", null=True, blank=True)
    result_imported_at = models.DateTimeField("发放结果导入时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = "发放批次"
        verbose_name_plural = "发放批次"
        ordering = ["-month", "county_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["county", "month", "sequence"], name="batch_unique_sequence"),
            models.UniqueConstraint(fields=["county", "month"],
                                    condition=Q(kind="regular") & ~Q(status="cancelled"),
                                    name="batch_one_regular_per_county_month"),
            models.CheckConstraint(condition=Q(total_amount__gte=0), name="batch_total_non_negative"),
        ]

    def __str__(self):
        suffix = {self.Kind.SUPPLEMENTARY: f"补发{self.sequence - 1}", self.Kind.ONE_OFF: f"临时救助{self.sequence}"
                  }.get(self.kind, "月度")
        return f"{self.county.short_name if self.county_id else ''}{self.month:%Y年%m月}{suffix}批次"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def number(self) -> str:
        return f"{self.county_id}-{self.month:%Y%m}-{self.sequence:02d}"


class LineQuerySet(RestrictedQuerySet):
    def included(self):
        return self.filter(excluded=False)


class PaymentLine(PlaceMixin):
    """One household's payment in a batch (or an excluded line with the reason). Written set-based."""

    class Change(models.TextChoices):
        SAME = "", "—"
        NEW = "new", "新增"
        ADJUSTED = "adjusted", "金额调整"
        PHASING_OUT = "phasing_out", "渐退期"
        REISSUE = "reissue", "补发"

    class BankStatus(models.TextChoices):
        PENDING = "pending", "待发放"
        PAID = "paid", "发放成功"
        FAILED = "failed", "发放失败"
        REISSUED = "reissued", "已补发"

    # Written 150,000 at a time (one INSERT … SELECT), lines are a ledger of copied facts. Only the batch key is a
    # checked foreign key; household, payee, entitlement, region and re-issue keys are copies of rows that are
    # never deleted (households and payee accounts are kept for good; a card correction adds a row), so they
    # skip the per-row FK check that would double the drafting time. The paid-once invariant is the unique
    # constraint below.
    county = models.ForeignKey("core.Region", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
                               db_index=False, verbose_name="县（市、区）")
    township = models.ForeignKey("core.Region", on_delete=models.DO_NOTHING, related_name="+",
                                 db_constraint=False, db_index=False, verbose_name="乡镇（街道）")
    village = models.ForeignKey("core.Region", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
                                db_index=False, verbose_name="村（社区）")
    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="lines",
                              db_index=False)  # (batch, line_no) is unique and indexed
    line_no = models.PositiveIntegerField("序号")
    month = models.DateField("发放月份")
    household = models.ForeignKey("cases.Household", on_delete=models.DO_NOTHING, related_name="+",
                                  db_constraint=False, db_index=False)  # indexed by line_paid_once_per_month_category
    entitlement = models.ForeignKey("cases.Entitlement", on_delete=models.DO_NOTHING, null=True, related_name="+",
                                    db_constraint=False, db_index=False)
    payee = models.ForeignKey(PayeeAccount, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+",
                              db_constraint=False, db_index=False)
    head_name = models.CharField("户主姓名", max_length=50, validators=[validate_name])
    card_masked = models.CharField("卡号", max_length=24, blank=True)
    bank_name = models.CharField("开户银行", max_length=60, blank=True)
    category = models.CharField("救助类别", max_length=20, choices=PayCategory)
    basis = models.CharField("补贴依据类别", max_length=20, blank=True, default="")
    persons_covered = models.PositiveSmallIntegerField("保障人数")
    amount = models.DecimalField("发放金额（元）", **MONEY)
    previous_amount = models.DecimalField("上月金额（元）", null=True, blank=True, **MONEY)
    change = models.CharField("变动原因", max_length=16, choices=Change, blank=True, default="")
    excluded = models.BooleanField("不予发放", default=False)
    exclusion_reason = models.CharField("不予发放原因", max_length=200, blank=True)
    claims_slot = models.BooleanField(default=True)
    bank_status = models.CharField("发放结果", max_length=12, choices=BankStatus, default=BankStatus.PENDING)
    bank_reason = models.CharField("失败原因", max_length=200, blank=True)
    reissue_of = models.ForeignKey("self", on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+",
                                   db_constraint=False, db_index=False)

    objects = LineQuerySet.as_manager()

    class Meta:
        verbose_name = "发放明细"
        verbose_name_plural = "发放明细"
        ordering = ["batch_id", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["household", "month", "category", "basis"], condition=Q(claims_slot=True),
                                    name="line_paid_once_per_month_category"),
            models.UniqueConstraint(fields=["batch", "line_no"], name="line_unique_no_in_batch"),
            # a confirmed 临时救助 (basis "aid:<id>") is paid once, whatever the month or batch
            models.UniqueConstraint(fields=["category", "basis"],
                                    condition=Q(claims_slot=True) & Q(category="temporary_aid"),
                                    name="line_one_off_aid_paid_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="line_amount_non_negative"),
            models.CheckConstraint(condition=Q(claims_slot=False) | Q(excluded=False), name="line_excluded_claims_nothing"),
        ]
        indexes = [models.Index(fields=["batch", "excluded", "line_no"], name="line_batch_excluded")]

    @property
    def category_label(self) -> str:
        label = PayCategory(self.category).label
        return label


class ExportJob(Job):
    """A background export (一卡通 file): a core.jobs job (status, progress, heartbeat; interrupted when its
    worker dies), re-runnable — a re-run rewrites the same file."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="exports")
    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    rows = models.PositiveIntegerField("行数", default=0)
    file_path = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-id"]


class PriceIndex(models.Model):
    """The city's monthly CPI and food CPI, year on year (%), entered by the city."""

    month = models.DateField("月份", unique=True)
    cpi_yoy = models.DecimalField("CPI 同比涨幅（%）", max_digits=5, decimal_places=2)
    food_cpi_yoy = models.DecimalField("食品 CPI 同比涨幅（%）", max_digits=5, decimal_places=2)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "价格指数"
        verbose_name_plural = "价格指数"
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%Y年%m月} CPI {self.cpi_yoy}% 食品 {self.food_cpi_yoy}%"


class BankResultJob(StoredUploadMixin, SealedRowMixin, Job):
    """The bank's result file for a batch, read and applied by the worker (core.jobs), never in the request:
    the file is sealed at upload, the job checks every line against the batch and applies all or nothing."""

    sealed_fields = {"file_cipher": "file"}

    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="bank_result_jobs")
    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    problems = models.JSONField("问题", default=list, blank=True)
    problem_count = models.PositiveIntegerField("问题数", default=0)
    paid = models.PositiveIntegerField("发放成功", default=0)
    failed = models.PositiveIntegerField("发放失败", default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "银行结果导入"
        verbose_name_plural = "银行结果导入"
        ordering = ["-created_at", "-id"]
