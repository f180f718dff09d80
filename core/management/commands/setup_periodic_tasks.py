from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from core.schedules import all_schedules


class Command(BaseCommand):
    help = "Install every periodic task from core.schedules (idempotent); removes ones no longer defined."

    @transaction.atomic
    def handle(self, *args, **options):
        schedules = all_schedules()
        for name, spec in schedules.items():
            if "every" in spec:  # an interval in seconds (e.g. the ops heartbeat), not a crontab
                interval, _ = IntervalSchedule.objects.get_or_create(every=int(spec["every"]),
                                                                     period=IntervalSchedule.SECONDS)
                PeriodicTask.objects.update_or_create(name=name, defaults={
                    "task": spec["task"], "interval": interval, "crontab": None, "enabled": True})
                continue
            fields = {"minute": "0", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
            fields.update(spec["crontab"])
            crontab, _ = CrontabSchedule.objects.get_or_create(timezone=settings.TIME_ZONE, **fields)
            PeriodicTask.objects.update_or_create(
                name=name, defaults={"task": spec["task"], "crontab": crontab, "interval": None, "enabled": True}
            )
        stale = PeriodicTask.objects.exclude(name__in=schedules).exclude(name__startswith="celery.")
        removed = stale.count()
        stale.delete()
        self.stdout.write(f"已安装 {len(schedules)} 个定时任务，移除 {removed} 个过期任务。")
