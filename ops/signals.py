"""Celery signal handlers of the ops app (connected in OpsConfig.ready, so in every process that loads Django):
the result of every task beat sent is recorded per periodic task, for the 系统状态 page."""
from __future__ import annotations

import time

from celery import signals

from ops import heartbeat
from ops.status import PERIODIC_PREFIX
from ops.tasks import _periodic_name

_started: dict[str, float] = {}


@signals.task_prerun.connect
def _task_started(task_id=None, task=None, **kwargs):
    if task is not None and _periodic_name(task.request):
        _started[task_id] = time.monotonic()


@signals.task_postrun.connect
def _task_finished(task_id=None, task=None, state=None, **kwargs):
    if task is None:
        return
    name = _periodic_name(task.request)
    if not name:
        return
    started = _started.pop(task_id, None)
    runtime = round(time.monotonic() - started, 2) if started is not None else None
    heartbeat.touch(PERIODIC_PREFIX + name[:150], state=str(state or ""), task=task.name, runtime=runtime)
