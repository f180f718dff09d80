"""Ground floor records: the administrative divisions, the append-only audit trail, parameters, the working-day
calendar, alerts."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Left
from django.utils import timezone


class Region(models.Model):
    """An administrative division; the code is the primary key, so region FKs hold plain codes."""

    class Level(models.TextChoices):
        CITY = "city", "市"
        COUNTY = "county", "县（市、区）"
        TOWNSHIP = "township", "乡镇（街道）"
        VILLAGE = "village", "村（社区）"

    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=50)
    level = models.CharField("层级", max_length=10, choices=Level, db_index=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")

    class Meta:
        db_table = "accounts_region"  # the table kept its name when the model moved down from accounts
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self):
        return self.short_name

    @property
    def short_name(self) -> str:
        """何营东村民委员会 → 何营东村; 郭村村民委员会 → 郭村 (not 郭村村); 建设路社区居民委员会 → 建设路社区."""
        for suffix, repl in (("村民委员会", "村"), ("社区居民委员会", "社区"), ("居民委员会", "社区"),
                             ("村委会", "村"), ("居委会", "社区")):
            if self.name.endswith(suffix):
                base = self.name[: -len(suffix)]
                return base if base.endswith(repl) else base + repl
        return self.name

    @property
    def county_code(self) -> str:
        return self.code[:6]

    @property
    def township_code(self) -> str | None:
        return self.code[:9] if len(self.code) >= 9 else None


class PlaceMixin(models.Model):
    """A row that belongs to a village and carries its township and county for scoping."""

    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="县（市、区）")
    township = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="乡镇（街道）")
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")

    class Meta:
        abstract = True

    def place_from_village(self, village) -> None:
        self.village = village
        self.township_id = village.code[:9]
        self.county_id = village.code[:6]


class BigPlaceMixin(PlaceMixin):
    """PlaceMixin for the big tables (households, members, entitlements, payee accounts): no index per place
    column (each declares the ones its queries use in Meta.indexes) and one foreign-key check per row instead of
    three. A subclass must add `place_follows_village(...)` to its Meta.constraints (a test holds every one to it).

    Django's index per foreign key, and its LIKE (varchar_pattern_ops) twin, are never used there — scope is an
    equality, served by the table's own (place, …) indexes — and every insert paid for them. The township and
    county are the village code's first 9 and 6 digits (`PlaceMixin.place_from_village`); the table's
    `place_follows_village` check constraint holds them to it, so the village's foreign key alone proves all three
    exist (a region's parent is protected), and a bulk import of a county pays one foreign-key check per row, not
    three."""

    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="县（市、区）",
                               db_index=False, db_constraint=False)
    township = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="乡镇（街道）",
                                 db_index=False, db_constraint=False)
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）",
                                db_index=False)

    class Meta:
        abstract = True


def place_follows_village(name: str) -> models.CheckConstraint:
    """The check constraint of a BigPlaceMixin table: township and county are the village code's prefixes."""
    return models.CheckConstraint(
        condition=Q(township=Left("village", 9), county=Left("village", 6)), name=name,
        violation_error_message="乡镇、县（市、区）与所在村（社区）不一致",
    )


class AuditEvent(models.Model):
    """Append-only. On PostgreSQL and SQLite a trigger refuses UPDATE and DELETE (migration 0002)."""

    class Category(models.TextChoices):
        BUSINESS = "business", "业务"
        SECURITY = "security", "安全"
        ADMIN = "admin", "系统管理"
        ACCESS = "access", "敏感信息查看"

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="操作人",
    )
    actor_username = models.CharField("用户名", max_length=150, blank=True)
    actor_role = models.CharField("角色", max_length=32, blank=True)
    category = models.CharField("类别", max_length=16, choices=Category, default=Category.BUSINESS, db_index=True)
    action = models.CharField("动作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    county_code = models.CharField(max_length=12, blank=True, db_index=True)
    township_code = models.CharField(max_length=12, blank=True, db_index=True)
    village_code = models.CharField(max_length=12, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    reason = models.TextField("原因", blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # The hash chain (core.auditchain): the previous entry's hash and this entry's own.
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        # AddIndex only: altering a column would make SQLite rebuild the table and drop the
        # append-only triggers of migration 0002.
        indexes = [models.Index(fields=["object_type", "object_id"]),
                   models.Index(fields=["village_code", "-at"], name="auditevent_village_recent")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_repr}"


class Parameter(models.Model):
    """A value of a *(param)* setting, in force from `effective_from`; the registry is core.params."""

    key = models.CharField("参数", max_length=64, db_index=True)
    value = models.CharField("值", max_length=200)
    effective_from = models.DateField("生效日期")
    reason = models.TextField("调整原因")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "参数"
        verbose_name_plural = "参数"
        ordering = ["key", "-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key", "effective_from"], name="parameter_one_value_per_day"),
        ]


class WorkdayOverride(models.Model):
    """City-maintained calendar days that override chinesecalendar (years it does not know yet)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("说明", max_length=50, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["date"]


class Alert(models.Model):
    """A reminder or escalation addressed to a region (and optionally a role within it)."""

    class Level(models.TextChoices):
        INFO = "info", "提醒"
        WARNING = "warning", "预警"
        OVERDUE = "overdue", "逾期"

    region_code = models.CharField(max_length=12, db_index=True)
    role = models.CharField(max_length=32, blank=True)
    level = models.CharField(max_length=16, choices=Level, default=Level.INFO)
    kind = models.CharField(max_length=64)
    dedupe_key = models.CharField(max_length=200, unique=True)
    message = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-created_at"]


class KeyCheck(models.Model):
    """The check value of each key version, recorded the first time the key is used with this database.

    A different key under the same version number (a regenerated dev key, the wrong JIUZHU_KEYS, a
    corrupted file) no longer matches, and startup refuses to run instead of writing data nobody can
    read or failing on every decryption later.
    """

    class Kind(models.TextChoices):
        ENC = "enc", "SM4 数据加密密钥"
        INDEX = "index", "HMAC-SM3 盲索引密钥"

    kind = models.CharField("类别", max_length=8, choices=Kind)
    version = models.PositiveSmallIntegerField("版本")
    check_value = models.CharField("校验值", max_length=32)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "密钥校验值"
        verbose_name_plural = "密钥校验值"
        ordering = ["kind", "version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="keycheck_one_per_version")]

    def __str__(self):
        return f"{self.get_kind_display()} 第{self.version}版"
