"""The 低保 standard per county and hukou type, and the 特困 care standards, each from a date."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.households.models import MONEY, Household


class Standard(models.Model):
    """低保标准: per person per month, per county, urban/rural, in force from a date (city-maintained)."""

    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+", verbose_name="县（市、区）")
    hukou_type = models.CharField("城乡", max_length=10, choices=Household.HukouType)
    effective_from = models.DateField("执行日期")
    dibao_monthly = models.DecimalField("低保标准（元/人·月）", **MONEY)
    is_demo = models.BooleanField("演示数值", default=False)
    note = models.CharField("文件依据", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "低保标准"
        verbose_name_plural = "低保标准"
        ordering = ["county_id", "hukou_type", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["county", "hukou_type", "effective_from"], name="standard_unique_from"),
            models.CheckConstraint(condition=Q(dibao_monthly__gt=0), name="standard_positive"),
        ]

    def __str__(self):
        return f"{self.county} {self.get_hukou_type_display()} {self.dibao_monthly}元"


class CareStandard(models.Model):
    """特困人员照料护理标准 by self-care level and form of care (元/人·月)."""

    class Level(models.TextChoices):
        SELF_CARE = "self_care", "全自理"
        SEMI = "semi", "半失能"
        TOTAL = "total", "全失能"

    class Form(models.TextChoices):
        CENTRAL = "central", "集中供养"
        DISPERSED = "dispersed", "分散供养"

    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+", verbose_name="县（市、区）")
    level = models.CharField("自理能力", max_length=10, choices=Level)
    form = models.CharField("供养方式", max_length=10, choices=Form)
    effective_from = models.DateField("执行日期")
    monthly_amount = models.DecimalField("照料护理标准（元/人·月）", **MONEY)
    is_demo = models.BooleanField("演示数值", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "照料护理标准"
        verbose_name_plural = "照料护理标准"
        ordering = ["county_id", "form", "level", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["county", "level", "form", "effective_from"], name="care_standard_unique"),
            models.CheckConstraint(condition=Q(monthly_amount__gte=0), name="care_standard_non_negative"),
        ]
