"""The nightly materialised summary of the three aims (issue #20 item 6): each indicator's value per region (the
city and every county) for a closed month. The dashboard reads last month from here and computes only the running
month live ("the day's figures on top"); a region or month without a row is computed live."""
from django.db import models
from django.utils import timezone


class IndicatorSnapshot(models.Model):
    month = models.DateField("月份")  # first day
    code = models.CharField("指标", max_length=64)
    region = models.CharField("区划代码", max_length=12)
    value = models.DecimalField("数值", max_digits=14, decimal_places=1)
    computed_at = models.DateTimeField("计算时间", default=timezone.now)

    class Meta:
        verbose_name = "指标月度汇总"
        verbose_name_plural = "指标月度汇总"
        constraints = [models.UniqueConstraint(fields=["month", "code", "region"], name="indicator_snapshot_cell")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.region} {self.code}={self.value}"
