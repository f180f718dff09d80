"""Periodic work for cases. Thin: each task calls a service of the re-check room."""
from celery import shared_task
from django.utils import timezone

from cases.dibao import rechecks
from cases.entitlements import changes


@shared_task(acks_late=True)
def recheck_list_month() -> int:
    """List this month's re-checks (entitlements whose next_recheck falls in the month) into the worklist."""
    return rechecks.recheck_list_month(month=timezone.localdate())


@shared_task(acks_late=True)
def phase_out_expire() -> int:
    """End 渐退期 entitlements whose last paid month has passed (their notice was issued at the re-check)."""
    return rechecks.phase_out_expire(on=timezone.localdate())


@shared_task(acks_late=True)
def entitlement_changes_apply() -> int:
    """Apply the amount/category changes decided last month (特困 care level or form) before the batch is drafted."""
    return changes.entitlement_changes_apply(on=timezone.localdate())
