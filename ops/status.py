"""The 系统状态 page's extra readings (the health check's parts come from ops.health): every periodic task's
last run and result, the jobs waiting or running, disk space, the key file and the backups."""
from __future__ import annotations

import shutil
import stat
from pathlib import Path

from django.conf import settings
from django_celery_beat.models import PeriodicTask

from core import jobs, keycheck, keys
from ops import backup
from ops.models import Heartbeat

PERIODIC_PREFIX = "periodic:"


def periodic_tasks() -> list[dict]:
    """Each installed periodic task: schedule, beat's last dispatch (synced by beat every few minutes) and the
    worker's last result (recorded when a task sent by beat finishes, ops.signals)."""
    results = {h.name[len(PERIODIC_PREFIX):]: h for h in Heartbeat.objects.filter(name__startswith=PERIODIC_PREFIX)}
    rows = []
    for task in PeriodicTask.objects.select_related("crontab", "interval").order_by("name"):
        if task.name.startswith("celery."):
            continue
        result = results.get(task.name)
        rows.append({"name": task.name, "task": task.task, "enabled": task.enabled,
                     "schedule": _schedule_label(task), "last_run_at": task.last_run_at,
                     "total_run_count": task.total_run_count,
                     "finished_at": result.at if result else None,
                     "state": (result.detail.get("state") if result else "") or "",
                     "runtime": result.detail.get("runtime") if result else None})
    return rows


def _schedule_label(task: PeriodicTask) -> str:
    if task.interval_id:
        return f"每 {task.interval.every} 秒" if task.interval.period == "seconds" else str(task.interval)
    if task.crontab_id:
        c = task.crontab
        return f"{c.minute} {c.hour} {c.day_of_month} {c.month_of_year} {c.day_of_week}"
    return "—"


def recent_jobs(limit: int = 10) -> list[dict]:
    """Unfinished (and interrupted) jobs of every registered kind, oldest first: what a worker has to do."""
    rows = []
    for model in jobs.registered():
        label = str(model._meta.verbose_name)
        for job in (model.objects.filter(status__in=(jobs.JobStatus.QUEUED, jobs.JobStatus.RUNNING,
                                                     jobs.JobStatus.INTERRUPTED))
                    .only("id", "status", "progress", "stage", "created_at", "heartbeat_at", "attempts")
                    .order_by("created_at")[:limit]):
            rows.append({"kind": label, "id": job.pk, "status": job.get_status_display(), "progress": job.progress,
                         "stage": job.stage, "created_at": job.created_at, "heartbeat_at": job.heartbeat_at,
                         "attempts": job.attempts, "stale": job.is_stale})
    return sorted(rows, key=lambda r: r["created_at"])[:limit]


def disks() -> list[dict]:
    places = [("程序与数据库目录", Path(settings.BASE_DIR)), ("上传文件目录", Path(settings.MEDIA_ROOT)),
              ("备份目录", backup.backup_dir())]
    rows, seen = [], set()
    for label, path in places:
        probe = path if path.exists() else path.parent
        try:
            usage = shutil.disk_usage(probe)
        except OSError:
            rows.append({"label": label, "path": str(path), "ok": False})
            continue
        key = (usage.total, usage.free)
        rows.append({"label": label, "path": str(path), "ok": usage.free / usage.total > 0.10,
                     "total_gb": round(usage.total / 2**30, 1), "free_gb": round(usage.free / 2**30, 1),
                     "free_pct": round(100 * usage.free / usage.total, 1), "same_disk": key in seen})
        seen.add(key)
    return rows


def key_status() -> dict:
    """Where the keys come from, whether the file is readable only by its owner, and whether they fit the
    database (core.keycheck, without enrolling anything). Never the keys themselves."""
    info = {"source": "file" if keys.file_provider() else "environment", "path": "", "exists": True,
            "private": True, "problems": []}
    if keys.file_provider():
        path = Path(settings.JIUZHU_KEY_FILE)
        info["path"] = str(path)
        info["exists"] = path.exists()
        if info["exists"]:
            info["private"] = not (path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))
    try:
        ring = keys.get_keyring()
        info.update(enc_versions=sorted(ring.enc), current=ring.current, index_versions=sorted(ring.index_keys))
    except Exception as exc:
        info["problems"].append(str(exc))
        return info
    info["problems"] += keycheck.problems(enroll=False)
    return info
