"""Thin Celery tasks: take ids, call a service."""
from celery import shared_task

from imports import services


@shared_task(acks_late=True)
def run_import(job_id: int) -> int:
    """Validate and import a household file; every problem and failure is stored on the job."""
    job = services.import_run(job_id)
    return job.households_created if job else 0
