"""The Celery app. Broker: Redis when REDIS_URL is set, otherwise kombu's filesystem transport (no server).

Every task is acknowledged late and has hard/soft time limits (settings CELERY_TASK_*); periodic tasks
live in the database (django-celery-beat), installed by `manage.py setup_periodic_tasks`.
"""
import os
from pathlib import Path

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuzhu.settings.local")

app = Celery("jiuzhu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def _verify_keys(**kwargs):
    """A worker with keys that do not fit the database must not start (core.keycheck)."""
    from core import keycheck

    keycheck.verify()


@app.on_after_configure.connect
def _make_filesystem_broker_folder(sender, **kwargs):
    """The filesystem transport needs its folder before the first message is sent or read."""
    options = sender.conf.broker_transport_options or {}
    if (sender.conf.broker_url or "").startswith("filesystem"):
        for key in ("data_folder_in", "data_folder_out", "control_folder"):
            if options.get(key):
                Path(options[key]).mkdir(parents=True, exist_ok=True)
