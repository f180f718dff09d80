"""Background jobs that people watch: one shape for every long job (comparison, export, bank-result import,
household import, drafting).

A concrete job model inherits `Job` (abstract: status, progress, stage, counts, heartbeat, cancel flag) and is
listed with `register(Model)` in its app's `ready()`; the sweeper (`sweep_interrupted`) and the health check
find every registered model there. The worker calls `claim` before it starts (atomic: two workers never run
the same job), `beat` while it works (every few seconds at most; it returns False once a cancel was
requested), and `finish` or `fail` at the end. A job whose heartbeat is older than `STALE_AFTER` while
"running" lost its worker: `sweep_interrupted` marks it interrupted, and it may be claimed again (the job's
own code must make a re-run safe: delete what a half run wrote, or write idempotently).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gc

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

STALE_AFTER = dt.timedelta(seconds=90)  # default; settings.JIUZHU_JOB_STALE_SECONDS overrides (stale_after())

_REGISTRY: list[type[models.Model]] = []


def register(model: type[models.Model]) -> type[models.Model]:
    """List a concrete `Job` model for the sweeper and the health check (idempotent)."""
    if model not in _REGISTRY:
        _REGISTRY.append(model)
    return model


def registered() -> list[type[models.Model]]:
    return list(_REGISTRY)


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"
    INTERRUPTED = "interrupted", "已中断"
    CANCELLED = "cancelled", "已取消"


FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)
CLAIMABLE = (JobStatus.QUEUED, JobStatus.INTERRUPTED)


class Job(models.Model):
    Status = JobStatus

    status = models.CharField("状态", max_length=12, choices=JobStatus, default=JobStatus.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    stage = models.CharField("当前步骤", max_length=60, blank=True)
    rows_total = models.PositiveIntegerField("总行数", default=0)
    rows_done = models.PositiveIntegerField("已处理行数", default=0)
    error = models.TextField("错误", blank=True)
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)
    cancel_requested = models.BooleanField("已请求取消", default=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def is_stale(self) -> bool:
        if self.status != JobStatus.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at or self.created_at
        return last < timezone.now() - stale_after()


def stale_after() -> dt.timedelta:
    """How long a running job may go without a heartbeat before it counts as interrupted."""
    seconds = getattr(settings, "JIUZHU_JOB_STALE_SECONDS", None)
    return dt.timedelta(seconds=seconds) if seconds else STALE_AFTER


def claim(model: type[Job], pk) -> bool:
    """Queued or interrupted → running, atomically; False when another worker has it or it is finished."""
    now = timezone.now()
    return bool(model.objects.filter(pk=pk, status__in=CLAIMABLE, cancel_requested=False).update(
        status=JobStatus.RUNNING, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now,
        finished_at=None, error=""))


def beat(model: type[Job], pk, *, progress: int | None = None, stage: str | None = None, **counts) -> bool:
    """Record progress and the heartbeat; returns False when the job was cancelled (the worker should stop)."""
    fields = {"heartbeat_at": timezone.now(), **counts}
    if progress is not None:
        fields["progress"] = max(0, min(100, int(progress)))
    if stage is not None:
        fields["stage"] = stage[:60]
    model.objects.filter(pk=pk, status=JobStatus.RUNNING).update(**fields)
    return not model.objects.filter(pk=pk, cancel_requested=True).exists()


def finish(model: type[Job], pk, *, status: str = JobStatus.SUCCEEDED, **fields) -> None:
    now = timezone.now()
    done = {"progress": 100} if status == JobStatus.SUCCEEDED else {}
    model.objects.filter(pk=pk).update(status=status, finished_at=now, heartbeat_at=now, **done, **fields)


def fail(model: type[Job], pk, error: str) -> None:
    finish(model, pk, status=JobStatus.FAILED, error=str(error)[:2000])


def request_cancel(model: type[Job], pk) -> bool:
    """Queued jobs are cancelled at once; running ones stop at their next `beat`."""
    if model.objects.filter(pk=pk, status__in=CLAIMABLE).update(
            status=JobStatus.CANCELLED, cancel_requested=True, finished_at=timezone.now()):
        return True
    return bool(model.objects.filter(pk=pk, status=JobStatus.RUNNING).update(cancel_requested=True))


def stale_q(now=None) -> Q:
    now = now or timezone.now()
    return Q(status=JobStatus.RUNNING) & (Q(heartbeat_at__lt=now - stale_after()) | Q(heartbeat_at__isnull=True))


def sweep_interrupted(now=None) -> int:
    """Mark every running job of every registered model whose heartbeat is stale as interrupted."""
    now = now or timezone.now()
    total = 0
    for model in _REGISTRY:
        total += model.objects.filter(stale_q(now)).update(
            status=JobStatus.INTERRUPTED, error="后台进程中断（心跳超时），可重新执行", finished_at=now)
    return total


@contextlib.contextmanager
def young_collections_only():
    """For a job that builds millions of long-lived objects (a county's household file: every row, member and
    household of the plan; a department file's cells in the comparison): Python's cyclic collector keeps collecting the young generations — the short-lived
    cycles of the job (a ValidationError lists itself) still go at once — but makes no full collection, each of
    which walks every object alive (the parse of 280,000 rows made about twenty of them: 1 s of its 3.5 s).
    Restored afterwards, in this process only."""
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], 1_000_000_000)
    try:
        yield
    finally:
        gc.set_threshold(*before)
