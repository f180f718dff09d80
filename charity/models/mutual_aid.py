"""§8 救急难 mutual-aid society (互助社), one per village: members, contributions (money or in kind), its rules,
grants decided by the society, its balance (never negative) and a public yearly account with masked names."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.scope import RestrictedQuerySet
from charity.models.funds import MONEY
from core.models import PlaceMixin


class MutualAidSociety(PlaceMixin):
    name = models.CharField("互助社名称", max_length=100)
    founded_on = models.DateField("成立日期", default=timezone.localdate)
    max_grant = models.DecimalField("单次互助金上限（元）", **MONEY)
    deciders = models.CharField("决定方式", max_length=100, default="理事会集体研究决定",
                                help_text="谁决定互助金的发放，如：理事会集体研究决定")
    rules = models.TextField("章程要点", blank=True)
    balance = models.DecimalField("余额（元）", default=0, **MONEY)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "救急难互助社"
        verbose_name_plural = "救急难互助社"
        constraints = [
            models.UniqueConstraint(fields=["village"], name="one_society_per_village"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="society_never_negative"),
            models.CheckConstraint(condition=Q(max_grant__gt=0), name="society_max_grant_positive"),
        ]

    def __str__(self):
        return self.name


class SocietyChildQuerySet(RestrictedQuerySet):
    scope_prefix = "society__"


class SocietyMember(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "个人"
        UNIT = "unit", "单位"

    class Post(models.TextChoices):
        CHAIR = "chair", "理事长"
        BOARD = "board", "理事"
        MEMBER = "member", "会员"

    society = models.ForeignKey(MutualAidSociety, on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名/单位", max_length=100)
    kind = models.CharField("类型", max_length=8, choices=Kind, default=Kind.PERSON)
    post = models.CharField("职务", max_length=8, choices=Post, default=Post.MEMBER)
    joined_on = models.DateField("入社日期", default=timezone.localdate)

    objects = SocietyChildQuerySet.as_manager()

    class Meta:
        verbose_name = "互助社成员"
        verbose_name_plural = "互助社成员"
        ordering = ["post", "joined_on", "id"]


class Contribution(models.Model):
    class Kind(models.TextChoices):
        MONEY = "money", "资金"
        IN_KIND = "in_kind", "实物"

    society = models.ForeignKey(MutualAidSociety, on_delete=models.PROTECT, related_name="contributions")
    contributor = models.CharField("捐助人", max_length=100)
    kind = models.CharField("形式", max_length=8, choices=Kind)
    amount = models.DecimalField("金额/折价（元）", **MONEY, help_text="实物填折合价值，不计入余额")
    goods = models.CharField("实物名称及数量", max_length=200, blank=True)
    received_on = models.DateField("日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = SocietyChildQuerySet.as_manager()

    class Meta:
        verbose_name = "互助社捐助"
        verbose_name_plural = "互助社捐助"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contribution_positive"),
            models.CheckConstraint(condition=~Q(kind="in_kind") | ~Q(goods=""), name="in_kind_names_goods"),
        ]


class SocietyGrant(PlaceMixin):
    society = models.ForeignKey(MutualAidSociety, on_delete=models.PROTECT, related_name="grants")
    household = models.ForeignKey("cases.Household", on_delete=models.PROTECT, related_name="society_grants")
    amount = models.DecimalField("互助金（元）", **MONEY)
    reason = models.CharField("困难情形", max_length=200)
    decided_on = models.DateField("决定日期")
    decision = models.CharField("决定情况", max_length=200, help_text="如：理事会2026年3月5日集体研究，5人同意")
    referral = models.OneToOneField("charity.Referral", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="society_grant")
    balance_after = models.DecimalField("发放后余额（元）", **MONEY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "互助金发放"
        verbose_name_plural = "互助金发放"
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="society_grant_positive"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="society_grant_balance_non_negative"),
        ]

    def __str__(self):
        return f"{self.household} 互助金 {self.amount}元"
