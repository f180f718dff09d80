"""Queue background work by the task's name, after the transaction commits.

A service that needs follow-up work (an export file, a comparison job) asks for it here instead of importing
its app's `tasks` module, which imports the service: the arrow stays one way (tasks → services). The task is
looked up in the Celery app's registry; a process that has not loaded the task's module yet (a web process)
loads it by name when the task is first sent, after the service has long finished importing. Calling the
registered task honours the Celery settings, so under `CELERY_TASK_ALWAYS_EAGER` the task runs at once
(`send_task` would not)."""
from importlib import import_module

from celery import current_app
from django.db import transaction


def enqueue(task_name: str, *args) -> None:
    """Send the task now (callers are normally inside `on_commit`). `task_name` is the task's dotted name,
    e.g. "funds.tasks.run_export" (the module, then the function)."""
    app = current_app
    if task_name not in app.tasks:
        import_module(task_name.rpartition(".")[0])
    app.tasks[task_name].delay(*args)


def enqueue_on_commit(task_name: str, *args) -> None:
    """Send the task once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: enqueue(task_name, *args))
