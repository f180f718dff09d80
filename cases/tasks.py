"""Periodic work for cases. Thin: each task calls a service of the re-check room."""
from celery import shared_task
from django.utils import timezone

from cases.dibao import rechecks


@shared_task(acks_late=True)
def recheck_list_month() -> int:
    """List this month's re-checks (entitlements whose next_recheck falls in the month) into the worklist."""
    return rechecks.recheck_list_month(month=timezone.localdate())


@shared_task(acks_late=True)
def phase_out_expire() -> int:
    """End 渐退期 entitlements whose last paid month has passed (their notice was issued at the re-check)."""
    return rechecks.phase_out_expire(on=timezone.localdate())
