"""Thin Celery tasks: take ids, call a service."""
import datetime as dt

from celery import shared_task
from django.utils import timezone

from core.months import first_of_month
from funds import bankjobs, cycle, services


@shared_task(acks_late=True)
def run_export(job_id: int) -> int:
    """Write a batch's 一卡通 file; failure is stored on the job (visible, re-runnable)."""
    try:
        job = services.export_run(job_id=job_id)
    except Exception:
        return 0
    return job.rows


@shared_task(acks_late=True)
def draft_monthly_batches(month: str | None = None) -> int:
    """On the 1st: draft every county's regular batch for the month (skips counties already drafted)."""
    day = dt.date.fromisoformat(month) if month else timezone.localdate()
    return cycle.draft_all(first_of_month(day))


@shared_task(acks_late=True)
def remind_and_escalate(today: str | None = None) -> int:
    """Daily: remind two working days before each deadline; escalate overdue steps to county and city."""
    return cycle.remind_and_escalate(dt.date.fromisoformat(today) if today else timezone.localdate())


@shared_task(acks_late=True)
def import_bank_result(job_id: int) -> int:
    """Read and apply a bank's result file (funds.bankjobs); problems and failures are stored on the job."""
    job = bankjobs.bank_result_run(job_id)
    return job.paid + job.failed if job else 0
