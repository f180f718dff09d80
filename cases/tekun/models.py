"""特困人员救助供养 (§3): eligibility, self-care assessments, institutions, entrusted-care agreements, visits."""
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import ROLE_LEVEL
from accounts.scope import RestrictedQuerySet, can
from cases.households.models import MONEY, Household, Person
from core.models import PlaceMixin, Region
from core.names import FREE_TEXT_MAX, validate_name
from core.sealing import SealedPhoneMixin, SealedRowMixin

SIX_ACTIVITIES = [
    ("eating", "进食"),
    ("dressing", "穿衣"),
    ("transfer", "上下床"),
    ("toilet", "如厕"),
    ("walking", "室内行走"),
    ("bathing", "洗澡"),
]


class SelfCareLevel(models.TextChoices):
    SELF_CARE = "self_care", "全自理"
    SEMI = "semi", "半失能"
    TOTAL = "total", "全失能"


def self_care_level(not_met: int) -> str:
    """Henan's six activities: all met 全自理; 1-3 not met 半失能; 4 or more 全失能."""
    if not_met <= 0:
        return SelfCareLevel.SELF_CARE
    return SelfCareLevel.SEMI if not_met <= 3 else SelfCareLevel.TOTAL


class InstitutionQuerySet(RestrictedQuerySet):
    def restrict(self, user, action):
        """Institutions serve a whole county: every user of the county may see them."""

        if not can(user, action):
            return self.none()
        if ROLE_LEVEL[user.role] == Region.Level.CITY:
            return self.all()
        return self.filter(county_id=user.region_id[:6])


class Institution(models.Model):
    """供养服务机构 (敬老院 / 福利院) with capacity; occupancy is counted from placed persons."""

    name = models.CharField("机构名称", max_length=100)
    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey("core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    address = models.CharField("地址", max_length=200, blank=True)
    capacity = models.PositiveIntegerField("床位数")
    nursing_beds = models.PositiveIntegerField("护理型床位数", default=0)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = "供养服务机构"
        verbose_name_plural = "供养服务机构"
        ordering = ["county_id", "name"]

    def __str__(self):
        return self.name

    @property
    def free(self) -> int:
        """Free beds (with the `occupied` annotation of cases.tekun.selectors.institutions)."""
        return self.capacity - getattr(self, "occupied", 0)


class TekunProfile(PlaceMixin):
    """One supported (or applying) 特困 person: how the eligibility was established and how care is given."""

    class Form(models.TextChoices):
        CENTRAL = "central", "集中供养"
        DISPERSED = "dispersed", "分散供养"

    class Status(models.TextChoices):
        ASSESSING = "assessing", "认定中"
        SUPPORTED = "supported", "在供养"
        ENDED = "ended", "已终止"

    class Incapacity(models.TextChoices):
        AGE_60 = "age_60", "年满60周岁"
        UNDER_18 = "under_18", "未满18周岁"
        DISABILITY = "disability", "重度残疾"
        NONE = "", "不符合"

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="tekun")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="tekun_profiles")
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.ASSESSING, db_index=True)
    form = models.CharField("供养方式", max_length=10, choices=Form, default=Form.DISPERSED)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="residents", verbose_name="供养机构")
    incapacity = models.CharField("无劳动能力情形", max_length=12, choices=Incapacity, blank=True)
    no_income_source = models.BooleanField("无生活来源", default=False)
    income_note = models.CharField("收入财产核查结论", max_length=200, blank=True)
    no_able_obligor = models.BooleanField("无法定赡养抚养扶养义务人或其无履行能力", default=False)
    can_express_wishes = models.BooleanField("能够准确表达意愿", default=True)
    self_care_level = models.CharField("自理能力", max_length=10, choices=SelfCareLevel, blank=True)
    last_assessed_on = models.DateField("最近评估日期", null=True, blank=True)
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name="探访人")
    visitor_name = models.CharField("探访人姓名", max_length=50, blank=True, validators=[validate_name])
    last_visit_on = models.DateField("最近探访日期", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "特困人员"
        verbose_name_plural = "特困人员"
        ordering = ["township_id", "village_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(form="dispersed") | Q(institution__isnull=False),
                                   name="tekun_central_has_institution"),
        ]

    def __str__(self):
        return self.person.name

    @property
    def reassessment_due(self) -> dt.date | None:
        if self.last_assessed_on is None:
            return None
        d = self.last_assessed_on
        return d.replace(year=d.year + 1) if not (d.month == 2 and d.day == 29) else dt.date(d.year + 1, 2, 28)


class Obligor(models.Model):
    """法定赡养、抚养、扶养义务人 and why they cannot support."""

    profile = models.ForeignKey(TekunProfile, on_delete=models.CASCADE, related_name="obligors")
    name = models.CharField("姓名", max_length=50, validators=[validate_name])
    relation = models.CharField("关系", max_length=20)
    able_to_support = models.BooleanField("有履行能力", default=False)
    reason = models.CharField("无履行能力的原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "义务人"
        verbose_name_plural = "义务人"
        constraints = [
            models.CheckConstraint(condition=Q(able_to_support=True) | ~Q(reason=""), name="obligor_reason_required"),
        ]


class SelfCareAssessment(models.Model):
    profile = models.ForeignKey(TekunProfile, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField("评估日期")
    eating = models.BooleanField("进食能自理")
    dressing = models.BooleanField("穿衣能自理")
    transfer = models.BooleanField("上下床能自理")
    toilet = models.BooleanField("如厕能自理")
    walking = models.BooleanField("室内行走能自理")
    bathing = models.BooleanField("洗澡能自理")
    level = models.CharField("结论", max_length=10, choices=SelfCareLevel)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "生活自理能力评估"
        verbose_name_plural = "生活自理能力评估"
        ordering = ["-assessed_on", "-id"]

    @property
    def not_met(self) -> int:
        return sum(not getattr(self, code) for code, _ in SIX_ACTIVITIES)


class CareAgreement(SealedPhoneMixin, SealedRowMixin):
    """委托照料服务协议 for a dispersed person (§3 全员覆盖、不漏一人)."""

    sealed_fields = {"phone_cipher": "phone"}

    profile = models.ForeignKey(TekunProfile, on_delete=models.PROTECT, related_name="agreements")
    carer_name = models.CharField("照料人", max_length=50, validators=[validate_name])
    carer_relation = models.CharField("照料人身份", max_length=30, help_text="如：亲属、邻居、村医、服务机构")
    phone_cipher = models.BinaryField(null=True, blank=True, editable=False)
    phone_masked = models.CharField("照料人电话", max_length=20, blank=True)
    duties = models.TextField("照料内容", max_length=FREE_TEXT_MAX)
    monthly_fee = models.DecimalField("照料费（元/月）", **MONEY)
    start = models.DateField("协议起始")
    end = models.DateField("协议终止")
    signed_on = models.DateField("签订日期")
    scan = models.FileField("协议扫描件", upload_to="care-agreements/%Y/", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "委托照料服务协议"
        verbose_name_plural = "委托照料服务协议"
        ordering = ["-end", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="agreement_end_after_start"),
            models.CheckConstraint(condition=Q(monthly_fee__gte=0), name="agreement_fee_non_negative"),
        ]


    def valid_on(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class CareVisit(models.Model):
    profile = models.ForeignKey(TekunProfile, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("探访日期")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    findings = models.TextField("探访情况", max_length=FREE_TEXT_MAX)
    needs = models.CharField("需求", max_length=200, blank=True)
    photo = models.FileField("照片", upload_to="visits/%Y/", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "探访记录"
        verbose_name_plural = "探访记录"
        ordering = ["-visited_on", "-id"]
