"""§8 结对帮扶: a helper (party cadre, unit, company, volunteer) paired with households, one-to-one or one-to-many,
with the contacts logged. A helper with an account sees only their own households, masked."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import ROLE_LEVEL, Role
from accounts.scope import can
from charity.models.funds import MONEY
from charity.scope import OwnedQuerySet
from core.models import Region


class HelperQuerySet(OwnedQuerySet):
    own = {Role.HELPER: "user"}

    def restrict(self, user, action: str):
        """Helpers are registered per township; village staff see their township's helpers."""
        if can(user, action) and ROLE_LEVEL[Role(user.role)] == Region.Level.VILLAGE:
            return self.filter(township_id=user.region_id[:9])
        return super().restrict(user, action)


class Helper(models.Model):
    class Kind(models.TextChoices):
        CADRE = "cadre", "党员干部"
        UNIT = "unit", "机关单位"
        COMPANY = "company", "企业"
        VOLUNTEER = "volunteer", "志愿者"

    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+", verbose_name="乡镇（街道）")
    name = models.CharField("帮扶人/单位", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=Kind)
    organisation = models.CharField("工作单位", max_length=100, blank=True)
    contact = models.CharField("联系方式", max_length=40, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="helper_profile", verbose_name="系统账号")
    created_at = models.DateTimeField(default=timezone.now)

    objects = HelperQuerySet.as_manager()

    class Meta:
        verbose_name = "帮扶人"
        verbose_name_plural = "帮扶人"
        ordering = ["name", "id"]

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"


class PairingQuerySet(OwnedQuerySet):
    own = {Role.HELPER: "helper__user"}

    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))


class Pairing(models.Model):
    helper = models.ForeignKey(Helper, on_delete=models.PROTECT, related_name="pairings", verbose_name="帮扶人")
    household = models.ForeignKey("cases.Household", on_delete=models.PROTECT, related_name="pairings")
    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    goal = models.CharField("帮扶内容", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = "结对帮扶"
        verbose_name_plural = "结对帮扶"
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="pairing_end_after_start"),
            models.UniqueConstraint(fields=["helper", "household"], condition=Q(end__isnull=True),
                                    name="one_open_pairing_per_helper_household"),
        ]

    def __str__(self):
        return f"{self.helper.name} 结对 {self.household}"


class ContactQuerySet(OwnedQuerySet):
    scope_prefix = "pairing__"
    own = {Role.HELPER: "pairing__helper__user"}


class Contact(models.Model):
    class Way(models.TextChoices):
        VISIT = "visit", "入户走访"
        PHONE = "phone", "电话联系"
        ONLINE = "online", "微信/视频"
        OTHER = "other", "其他"

    pairing = models.ForeignKey(Pairing, on_delete=models.PROTECT, related_name="contacts")
    on = models.DateField("日期")
    way = models.CharField("方式", max_length=8, choices=Way)
    help_given = models.CharField("帮扶内容", max_length=200)
    value = models.DecimalField("折合金额（元）", default=0, **MONEY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = "帮扶联系记录"
        verbose_name_plural = "帮扶联系记录"
        ordering = ["-on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(value__gte=0), name="contact_value_non_negative")]
