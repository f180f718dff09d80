"""The Celery app. Broker: Redis when REDIS_URL is set, otherwise kombu's filesystem transport (no server).

Every task is acknowledged late and has hard/soft time limits (settings CELERY_TASK_*); periodic tasks
live in the database (django-celery-beat), installed by `manage.py setup_periodic_tasks`.
"""
import os
from pathlib import Path

from celery import Celery, signals
from django import db

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuzhu.settings.local")

app = Celery("jiuzhu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def _verify_keys(**kwargs):
    """A worker with keys that do not fit the database must not start (core.keycheck).

    The check opens a database connection in the worker's main process; it is closed right after. Left open,
    it was inherited by every process forked from there — the embedded beat of `worker -B` and the pool —
    and once Celery had closed the copied SQLite handle in the child, Django's connection still pointed at
    it: beat's first scheduler query failed with "disk I/O error" and nothing periodic ever ran."""
    from core import keycheck

    try:
        keycheck.verify()
    finally:
        db.connections.close_all()


_IN_BEAT = {"on": False}


@signals.beat_init.connect
def _beat_started(**kwargs):
    """In the beat process (standalone or embedded): start from fresh connections, record beat's ticks."""
    _IN_BEAT["on"] = True
    db.connections.close_all()


@signals.before_task_publish.connect
def _record_beat_tick(sender=None, headers=None, **kwargs):
    """Every task beat sends is a tick (ops.Heartbeat "beat"), read by /healthz/ and the 系统状态 page."""
    if not _IN_BEAT["on"]:
        return
    from ops import heartbeat

    heartbeat.touch("beat", task=str(sender or ""), periodic=str((headers or {}).get("periodic_task_name", "")))


@app.on_after_configure.connect
def _make_filesystem_broker_folder(sender, **kwargs):
    """The filesystem transport needs its folder before the first message is sent or read."""
    options = sender.conf.broker_transport_options or {}
    if (sender.conf.broker_url or "").startswith("filesystem"):
        for key in ("data_folder_in", "data_folder_out", "control_folder"):
            if options.get(key):
                Path(options[key]).mkdir(parents=True, exist_ok=True)
