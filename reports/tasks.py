"""Celery tasks of the reports floor: thin wrappers over reports.services."""
import datetime as dt

from celery import shared_task
from django.utils import timezone

from core.months import previous_month
from reports import services


@shared_task
def build_indicator_snapshot(month: str | None = None) -> int:
    """Nightly: last month's indicators per city and county (default: the month before today's)."""
    if month:
        return services.snapshot_build(month=dt.date.fromisoformat(month))
    return services.snapshot_build(month=previous_month(timezone.localdate()))
