"""The household registry: households, members, income, property and rigid expenses."""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.scope import RestrictedQuerySet
from core import idnumbers
from core.models import BigPlaceMixin, Region, place_follows_village
from core.names import FREE_TEXT_MAX, validate_name
from core.sealing import BlindIndexField, SealedPhoneMixin, SealedRowMixin

MONEY = {"max_digits": 12, "decimal_places": 2}


class HouseholdQuerySet(RestrictedQuerySet):
    pass


class Household(BigPlaceMixin, SealedPhoneMixin, SealedRowMixin):  # indexed by (place, -id) in Meta
    class HukouType(models.TextChoices):
        URBAN = "urban", "城市"
        RURAL = "rural", "农村"

    sealed_fields = {"phone_cipher": "phone"}

    address = models.CharField("家庭住址", max_length=200)
    hukou_type = models.CharField("户籍类型", max_length=10, choices=HukouType)
    head_name = models.CharField("户主姓名", max_length=50, validators=[validate_name])  # indexed in Meta.indexes
    phone_cipher = models.BinaryField("联系电话（密文）", null=True, blank=True, editable=False)
    phone_masked = models.CharField("联系电话", max_length=20, blank=True)
    note = models.TextField("备注", blank=True, max_length=FREE_TEXT_MAX)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = "家庭"
        verbose_name_plural = "家庭"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["township", "-id"], name="household_township_recent"),
            models.Index(fields=["village", "-id"], name="household_village_recent"),
            models.Index(fields=["county", "-id"], name="household_county_recent"),
            # equality and prefix search (head_name__startswith) alike; the plain btree twin was never needed
            models.Index(fields=["head_name"], opclasses=["varchar_pattern_ops"], name="household_head_name"),
        ]
        constraints = [
            place_follows_village("household_place_follows_village"),
            # what a member's foreign key to its household points at (migration 0015, PostgreSQL): the member's
            # place is its household's place, and moving the household moves its members
            models.UniqueConstraint(fields=["id", "village", "township", "county"], name="household_id_place"),
        ]

    def __str__(self):
        return f"{self.head_name}户"


class PersonQuerySet(RestrictedQuerySet):
    grant_through = "household"  # a household shared with another user brings its members along

    def with_id_number(self, raw):
        """Exact match through the blind index; invalid input matches nothing."""
        value = idnumbers.normalize_for_lookup(raw)
        return self.filter(id_index__in=idnumbers.index_candidates(value)) if value else self.none()


class Person(BigPlaceMixin, SealedRowMixin):  # place indexed in Meta.indexes
    """A household member. Its place is its household's: on PostgreSQL one composite foreign key
    (household, village, township, county) → the household's (id, village, township, county), ON UPDATE CASCADE
    (migration 0015), instead of four single ones — a member cannot sit in another village than its household,
    and an import of a county's 250,000 members pays one check per row, not four."""

    class Relationship(models.TextChoices):
        HEAD = "head", "户主"
        SPOUSE = "spouse", "配偶"
        CHILD = "child", "子女"
        CHILD_SPOUSE = "child_spouse", "儿媳/女婿"
        PARENT = "parent", "父母"
        GRANDCHILD = "grandchild", "孙子女/外孙子女"
        GRANDPARENT = "grandparent", "祖父母/外祖父母"
        SIBLING = "sibling", "兄弟姐妹"
        OTHER = "other", "其他"

    class Sex(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    class DisabilityType(models.TextChoices):
        VISUAL = "visual", "视力"
        HEARING = "hearing", "听力"
        SPEECH = "speech", "言语"
        PHYSICAL = "physical", "肢体"
        INTELLECTUAL = "intellectual", "智力"
        MENTAL = "mental", "精神"
        MULTIPLE = "multiple", "多重"

    class WorkCapacity(models.TextChoices):
        FULL = "full", "有劳动能力"
        PARTIAL = "partial", "部分丧失劳动能力"
        NONE = "none", "无劳动能力"

    class Employment(models.TextChoices):
        EMPLOYED = "employed", "在职"
        FLEXIBLE = "flexible", "灵活就业"
        FARMING = "farming", "务农"
        UNEMPLOYED = "unemployed", "失业"
        RETIRED = "retired", "退休"
        STUDENT = "student", "在校学生"
        NONE = "none", "无"

    class School(models.TextChoices):
        NONE = "", "—"
        PRESCHOOL = "preschool", "学前"
        PRIMARY = "primary", "小学"
        JUNIOR = "junior", "初中"
        SENIOR = "senior", "高中"
        VOCATIONAL = "vocational", "中职"
        COLLEGE = "college", "大专及以上"

    class SpecialStatus(models.TextChoices):
        NONE = "", "—"
        PRISON = "prison", "服刑"
        MISSING = "missing", "失踪"
        RELIGIOUS = "religious", "长期宗教教职"
        MILITARY = "military", "参军服役"
        MOVED_OUT = "moved_out", "婚嫁、分户迁出"
        DIED = "died", "已死亡"

    sealed_fields = {"id_cipher": "id_number"}
    indexed_fields = {"id_index": ("id_cipher", idnumbers.INDEX_KIND)}

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members", verbose_name="家庭",
                                  db_constraint=False)  # the composite key above, on PostgreSQL
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）",
                                db_index=False, db_constraint=False)  # through the household's, on PostgreSQL
    name = models.CharField("姓名", max_length=50, validators=[validate_name])  # indexed in Meta.indexes
    id_cipher = models.BinaryField("身份证号（密文）", editable=False)
    # unique through Meta.constraints (the same unique index): a unique field would also get a LIKE
    # (varchar_pattern_ops) index of 90 MB per million persons, which no query uses and every insert pays
    id_index = BlindIndexField("身份证号盲索引", editable=False)
    id_masked = models.CharField("身份证号", max_length=18, editable=False)
    id_last4 = models.CharField("身份证号后四位", max_length=4, editable=False)  # indexed in Meta.indexes
    sex = models.CharField("性别", max_length=1, choices=Sex, editable=False)
    birth_date = models.DateField("出生日期", editable=False)
    relationship = models.CharField("与户主关系", max_length=16, choices=Relationship)
    disability_grade = models.PositiveSmallIntegerField(
        "残疾等级", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    disability_type = models.CharField("残疾类别", max_length=16, choices=DisabilityType, blank=True)
    serious_illness = models.CharField("重特大疾病", max_length=100, blank=True)
    work_capacity = models.CharField("劳动能力", max_length=10, choices=WorkCapacity, default=WorkCapacity.FULL)
    employment = models.CharField("就业状况", max_length=12, choices=Employment, default=Employment.NONE)
    school = models.CharField("在校情况", max_length=12, choices=School, blank=True, default="")
    special_status = models.CharField("特殊情况", max_length=12, choices=SpecialStatus, blank=True, default="")
    deceased_on = models.DateField("死亡日期（经核实）", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        ordering = ["household_id", "id"]
        constraints = [
            # on PostgreSQL an exclusion constraint of the same name on a hash index (migration 0020): unique
            # alike, and the comparisons' probes read one bucket page whatever the registry's size, while a B-tree
            # of these random keys had every bulk write touch nearly all of its pages
            models.UniqueConstraint(fields=["id_index"], name="person_id_index_unique"),
            models.CheckConstraint(
                condition=Q(disability_grade__isnull=True) | Q(disability_grade__gte=1, disability_grade__lte=4),
                name="person_disability_grade_1_4",
            ),
            models.CheckConstraint(
                condition=Q(disability_grade__isnull=True) | ~Q(disability_type=""),
                name="person_disability_has_type",
            ),
            place_follows_village("person_place_follows_village"),
        ]
        indexes = [
            # the few verified deaths (funds.indicators.paid_after_death, monitoring): never a scan of every person
            models.Index(fields=["deceased_on"], condition=Q(deceased_on__isnull=False), name="person_deceased"),
            # plain btree indexes (equality, ordering): the LIKE twins Django adds for db_index were never used
            models.Index(fields=["township"], name="person_township"),
            models.Index(fields=["village"], name="person_village"),
            # the county; within it a name, equality and prefix search (name__startswith); a name with the ID's
            # last four digits (the search box's "张三 1234"). Led by the county, so that a county's import adds
            # its rows to its own part of the index instead of all over one index of every name in the province
            # (bench/README.md, round of 2026-12-05); every name search states its counties
            # (accounts.scope.county_q). It serves the county's own filters too: no separate county index.
            models.Index(fields=["county", "name", "id_last4"],
                         opclasses=["varchar_ops", "varchar_pattern_ops", "varchar_pattern_ops"],
                         name="person_county_name_last4"),
        ]

    def __str__(self):
        return self.name

    def set_id_number(self, raw) -> idnumbers.IdNumber:
        ident = idnumbers.parse(raw)
        sealed = idnumbers.seal(ident, aad=self.aad("id_number"))
        self.id_cipher, self.id_index = sealed.cipher, sealed.index
        self.id_masked, self.id_last4 = sealed.masked, sealed.last4
        self.birth_date, self.sex = ident.birth_date, ident.sex
        return ident

    def reveal_id_number(self) -> str:
        """Plaintext for an authorised, audited reveal (cases.households.services.person_reveal_id)."""
        return idnumbers.unseal(self.id_cipher, aad=self.aad("id_number"))

    def age_on(self, day) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def is_minor_under_14(self) -> bool:
        return self.age < 14


class IncomeItem(models.Model):
    class Kind(models.TextChoices):
        WAGES = "wages", "工资性收入"
        BUSINESS = "business", "经营净收入"
        PROPERTY = "property", "财产净收入"
        TRANSFER = "transfer", "转移净收入"
        OTHER = "other", "其他收入"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="incomes")
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="incomes",
                               verbose_name="成员")
    kind = models.CharField("收入类别", max_length=12, choices=Kind)
    description = models.CharField("说明", max_length=100, blank=True)
    amount_12m = models.DecimalField("近12个月金额（元）", **MONEY)
    employment_cost = models.DecimalField("就业成本（元）", default=Decimal("0.00"), **MONEY)
    exempt = models.BooleanField("不计入家庭收入", default=False,
                                 help_text="如优待抚恤金、奖励性补助等按规定不计入的收入")
    period_end = models.DateField("统计截止月", default=timezone.localdate)

    class Meta:
        verbose_name = "收入"
        verbose_name_plural = "收入"
        constraints = [
            models.CheckConstraint(condition=Q(amount_12m__gte=0), name="income_amount_non_negative"),
            models.CheckConstraint(condition=Q(employment_cost__gte=0), name="income_cost_non_negative"),
        ]


class PropertyItem(models.Model):
    class Kind(models.TextChoices):
        HOUSE = "house", "房产"
        VEHICLE = "vehicle", "机动车辆"
        DEPOSIT = "deposit", "存款"
        SECURITIES = "securities", "有价证券"
        INSURANCE = "insurance", "商业保险"
        BUSINESS = "business", "经营实体"
        OTHER = "other", "其他"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="properties")
    kind = models.CharField("财产类别", max_length=12, choices=Kind)
    description = models.CharField("说明", max_length=100, blank=True)
    quantity = models.PositiveSmallIntegerField("数量", default=1)
    value = models.DecimalField("价值（元）", **MONEY)

    class Meta:
        verbose_name = "财产"
        verbose_name_plural = "财产"
        constraints = [models.CheckConstraint(condition=Q(value__gte=0), name="property_value_non_negative")]


class RigidExpense(models.Model):
    class Kind(models.TextChoices):
        MEDICAL = "medical", "医疗"
        EDUCATION = "education", "教育"
        OTHER = "other", "其他"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="expenses")
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name="成员")
    kind = models.CharField("支出类别", max_length=12, choices=Kind)
    amount_12m = models.DecimalField("近12个月自付金额（元）", **MONEY)
    evidence = models.CharField("佐证材料", max_length=200)

    class Meta:
        verbose_name = "刚性支出"
        verbose_name_plural = "刚性支出"
        constraints = [models.CheckConstraint(condition=Q(amount_12m__gte=0), name="expense_amount_non_negative")]
