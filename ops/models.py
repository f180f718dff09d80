"""What the health check and the 系统状态 page read: the last sign of life of each background part."""
from django.db import models
from django.utils import timezone


class Heartbeat(models.Model):
    """One row per part: "beat" (the scheduler sent a task), "worker" (a worker executed the heartbeat task),
    "backup" (the last backup written), and "periodic:<name>" (the last result of each periodic task beat sent). `detail` holds no personal data: task names, counts, file names."""

    BEAT = "beat"
    WORKER = "worker"
    BACKUP = "backup"

    name = models.CharField("部件", max_length=200, primary_key=True)
    at = models.DateTimeField("最近时间", default=timezone.now)
    count = models.PositiveBigIntegerField("次数", default=0)
    detail = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "运行心跳"
        verbose_name_plural = "运行心跳"

    def __str__(self):
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
