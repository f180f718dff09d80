import os

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
