"""Thin Celery tasks of the ops app: the heartbeat, the sweep of interrupted jobs, the nightly backup."""
from celery import shared_task

from core import jobs
from ops import backup, heartbeat
from ops.models import Heartbeat


def _periodic_name(request) -> str:
    """django-celery-beat puts the periodic task's name in the message headers: proof that beat sent it."""
    name = getattr(request, "periodic_task_name", None)
    if not name:
        name = (getattr(request, "headers", None) or {}).get("periodic_task_name")
    return name or ""


@shared_task(bind=True, acks_late=True, ignore_result=True, expires=120)
def heartbeat_task(self) -> str:
    """Every 30 s from beat: the worker records that it executed a task, and whether beat had sent it."""
    periodic = _periodic_name(self.request)
    heartbeat.touch(Heartbeat.WORKER, task_id=str(self.request.id or ""), periodic=periodic,
                    hostname=str(self.request.hostname or ""))
    return "ok"


@shared_task(acks_late=True, ignore_result=True, expires=120)
def sweep_interrupted_jobs() -> int:
    """Every minute: a job whose worker died (stale heartbeat) is shown as interrupted (core.jobs)."""
    return jobs.sweep_interrupted()


@shared_task(acks_late=True, ignore_result=True)
def nightly_backup() -> str:
    """Every night: one encrypted archive into JIUZHU_BACKUP_DIR, older ones beyond the retention removed."""
    result = backup.create()
    backup.prune()
    return result.path.name
