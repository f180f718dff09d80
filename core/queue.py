"""Queue background work by the task's name, after the transaction commits.

A service that needs follow-up work (an export file, a comparison job) asks for it here instead of importing
its app's `tasks` module, which imports the service: the arrow stays one way (tasks → services). The task is
looked up in the Celery app's registry; in a process that has not loaded the task modules yet (a web
process), they are loaded the way a worker loads them (autodiscovery of every app's `tasks`). Calling the
registered task honours the Celery settings, so under `CELERY_TASK_ALWAYS_EAGER` the task runs at once
(`send_task` would not)."""
from celery import current_app
from django.db import transaction


def enqueue(task_name: str, *args) -> None:
    """Send the task now (callers are normally inside `on_commit`)."""
    app = current_app
    if task_name not in app.tasks:
        app.loader.import_default_modules()
    app.tasks[task_name].delay(*args)


def enqueue_on_commit(task_name: str, *args) -> None:
    """Send the task once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: enqueue(task_name, *args))
