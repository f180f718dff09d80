"""Celery tasks: thin wrappers that take ids and call monitoring.services."""
from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def execute_run(run_id: int) -> str:
    from monitoring import services

    run = services.run_execute(run_id)
    return run.status if run else "skipped"


@shared_task
def requeue_stale_runs() -> int:
    from monitoring import services

    return services.requeue_stale_runs()


@shared_task
def check_comparisons() -> int:
    from monitoring import services

    return len(services.comparisons_check())


@shared_task
def build_snapshot(month: str | None = None) -> int:
    """Fill the month's counts (default: this month; the 1st also closes last month)."""
    import datetime as dt

    from monitoring import services

    today = timezone.localdate()
    if month:
        return services.snapshot_build(month=dt.date.fromisoformat(month))
    n = services.snapshot_build(month=today)
    if today.day == 1:
        n += services.snapshot_build(month=today - dt.timedelta(days=1))
    return n
