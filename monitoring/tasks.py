"""Celery tasks: thin wrappers that take ids and call monitoring.services."""
import datetime as dt

from celery import shared_task
from django.utils import timezone

from core.months import previous_month
from monitoring import services


@shared_task(acks_late=True)
def execute_run(run_id: int) -> str:
    run = services.run_execute(run_id)
    return run.status if run else "skipped"


@shared_task
def requeue_stale_runs() -> int:
    return services.requeue_stale_runs()


@shared_task
def check_comparisons() -> int:
    return len(services.comparisons_check())


@shared_task
def build_snapshot(month: str | None = None) -> int:
    """Fill the month's counts (default: this month; the 1st also closes last month)."""
    today = timezone.localdate()
    if month:
        return services.snapshot_build(month=dt.date.fromisoformat(month))
    n = services.snapshot_build(month=today)
    if today.day == 1:
        n += services.snapshot_build(month=previous_month(today))
    return n
