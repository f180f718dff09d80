"""Periodic work for cases. Thin: each task calls a service in cases.workflow."""
from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def recheck_list_month() -> int:
    """List this month's re-checks (entitlements whose next_recheck falls in the month) into the worklist."""
    from cases import workflow

    return workflow.recheck_list_month(month=timezone.localdate())


@shared_task(acks_late=True)
def phase_out_expire() -> int:
    """End 渐退期 entitlements whose last paid month has passed (their notice was issued at the re-check)."""
    from cases import workflow

    return workflow.phase_out_expire(on=timezone.localdate())
