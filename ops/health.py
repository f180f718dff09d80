"""The health of the installation, as read by `/healthz/` (no login) and the 系统状态 page.

`check()` returns plain data without personal data: the database answers, the broker is reachable (and how
many messages wait), the worker executed the heartbeat task recently, beat sent a task recently, and no
background job is stuck (running with a stale heartbeat: its worker died and the sweeper has not run).
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from celery import current_app
from django.db import connection
from django.utils import timezone

from core import jobs
from ops import heartbeat
from ops.models import Heartbeat

# The heartbeat task runs every 30 s (ops.schedules); four missed beats mean the part is down.
MAX_AGE = dt.timedelta(seconds=120)
PARTS = ("database", "broker", "worker", "beat", "jobs")


def _timed(fn) -> dict:
    start = time.perf_counter()
    try:
        result = fn() or {}
        result.setdefault("ok", True)
    except Exception as exc:  # the part is down: say which error class, never a stack trace or a URL
        result = {"ok": False, "error": type(exc).__name__}
    result["ms"] = round((time.perf_counter() - start) * 1000, 1)
    return result


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"engine": connection.vendor}


def broker_queued() -> int | None:
    """Messages waiting in the default queue (filesystem transport: files; Redis: the list length)."""
    url = current_app.conf.broker_url or ""
    if url.startswith("filesystem"):
        folder = Path((current_app.conf.broker_transport_options or {}).get("data_folder_in", ""))
        return sum(1 for _ in folder.glob("*.msg")) if folder.is_dir() else 0
    with current_app.connection_for_read() as conn:
        client = conn.channel().client
        return int(client.llen(current_app.conf.task_default_queue or "celery"))


def _broker() -> dict:
    url = current_app.conf.broker_url or ""
    kind = url.split(":", 1)[0] or "unknown"
    if kind == "filesystem":
        folder = Path((current_app.conf.broker_transport_options or {}).get("data_folder_in", ""))
        if not folder.is_dir():
            return {"ok": False, "transport": kind, "error": "broker folder missing"}
    else:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    return {"transport": kind, "queued": broker_queued()}


def _age(beat: Heartbeat | None, now) -> dict:
    if beat is None:
        return {"ok": False, "last": None, "age_seconds": None, "error": "no heartbeat yet"}
    age = (now - beat.at).total_seconds()
    return {"ok": age <= MAX_AGE.total_seconds(), "last": beat.at.isoformat(), "age_seconds": round(age, 1),
            "count": beat.count}


def job_counts(now=None) -> dict:
    """Per registered job model (core.jobs): queued, running, stuck (running, stale heartbeat), interrupted."""
    now = now or timezone.now()
    kinds, totals = {}, {"queued": 0, "running": 0, "stuck": 0, "interrupted": 0}
    for model in jobs.registered():
        row = {
            "label": str(model._meta.verbose_name),
            "queued": model.objects.filter(status=jobs.JobStatus.QUEUED).count(),
            "running": model.objects.filter(status=jobs.JobStatus.RUNNING).count(),
            "stuck": model.objects.filter(jobs.stale_q(now)).count(),
            "interrupted": model.objects.filter(status=jobs.JobStatus.INTERRUPTED).count(),
        }
        kinds[model._meta.label_lower] = row
        for key in totals:
            totals[key] += row[key]
    return {**totals, "kinds": kinds}


def check() -> dict:
    now = timezone.now()
    parts = {"database": _timed(_database), "broker": _timed(_broker)}
    beats = {}
    if parts["database"]["ok"]:
        try:
            beats = heartbeat.read()
        except Exception as exc:  # not migrated yet
            parts["database"] = {"ok": False, "error": type(exc).__name__}
    worker = _age(beats.get(Heartbeat.WORKER), now)
    if Heartbeat.WORKER in beats:  # the last heartbeat task came from beat (not sent by hand)
        worker["dispatched_by_beat"] = bool(beats[Heartbeat.WORKER].detail.get("periodic"))
    parts["worker"] = worker
    parts["beat"] = _age(beats.get(Heartbeat.BEAT), now)
    if parts["database"]["ok"]:
        parts["jobs"] = _timed(lambda: job_counts(now))
        if parts["jobs"]["ok"] and parts["jobs"]["stuck"]:
            parts["jobs"]["ok"] = False
    else:
        parts["jobs"] = {"ok": False, "error": "database unavailable"}
    failing = [name for name in PARTS if not parts[name]["ok"]]
    return {"status": "fail" if failing else "ok", "failing": failing, "time": now.isoformat(), **parts}
