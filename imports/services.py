"""Writes of the household import: queue a file (checked at upload), run the job (validate everything, then
write all or nothing), cancel. The job's problems and counts are on the HouseholdImport row.
"""
from __future__ import annotations

import logging
import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction

from accounts.scope import Action, require
from core import audit, jobs, locks, uploads
from core.models import Region
from core.queue import enqueue_on_commit
from imports import plan as planning
from imports import writer
from imports.models import HouseholdImport

logger = logging.getLogger(__name__)
RUN_TASK = "imports.tasks.run_import"
MAX_STORED_ERRORS = 20_000
PERSON_UNIQUE = "person_id_index_unique"
REGISTERED_MEANWHILE = ("文件校验通过后，另一项导入或登记同时写入了文件中的人员（身份证号码重复），为保证一人只登记一次，"
                        "本次未写入任何数据。请重新导入：系统会逐行指出已登记的人员")


def limits() -> uploads.Limits:
    return uploads.default_limits(**planning.SHEET_LIMITS)


def import_request(*, actor, name: str, data: bytes, dry_run: bool, mode: str = HouseholdImport.Mode.CREATE,
                   region: Region | None = None, enqueue: bool = True) -> HouseholdImport:
    """Check the file at once (size, type, zip bounds, header) and queue the job. `actor` None with a county
    `region`: the management command. Raises ValidationError with the reason in Chinese."""
    if actor is not None:
        require(actor, Action.HOUSEHOLD_IMPORT)
        region = actor.region
    if region is None or region.level == Region.Level.CITY:
        raise ValidationError("请指定导入的县（市、区）")
    if mode not in HouseholdImport.Mode.values:
        raise ValidationError("导入方式无效")
    try:
        planning.check_header(data, name)
    except uploads.UploadRefused as exc:
        raise ValidationError(exc.messages) from None
    code = region.code
    job = HouseholdImport(county_id=code[:6], township_id=code[:9] if len(code) >= 9 else None,
                          village_id=code if len(code) == 12 else None, requested_by=actor, dry_run=dry_run,
                          mode=mode, stage="排队等待")
    job.store_file(name, data)
    with transaction.atomic():
        job.save()
        audit.record(actor=actor, action="household_import.upload", obj=job, region=(job.county_id, "", ""),
                     after={"file": job.file_name[:100], "size": job.file_size, "sha256": job.file_sha256,
                            "dry_run": dry_run, "mode": mode, "region": code})
        if enqueue:
            enqueue_on_commit(RUN_TASK, job.pk)
    return job


class _Cancelled(Exception):
    pass


def import_run(job_id: int) -> HouseholdImport | None:
    """The job: validate the whole file, then (no problem, not a dry run) write everything in one transaction."""
    if not jobs.claim(HouseholdImport, job_id):
        return None
    job = HouseholdImport.objects.get(pk=job_id)
    started = time.monotonic()

    def beat(progress, stage, **counts):
        if not jobs.beat(HouseholdImport, job_id, progress=progress, stage=stage, **counts):
            raise _Cancelled

    try:
        with jobs.young_collections_only():
            return _run(job, job_id, started, beat)
    except _Cancelled:
        jobs.finish(HouseholdImport, job_id, status=jobs.JobStatus.CANCELLED, stage="已取消，未写入任何数据")
    except (IntegrityError, OperationalError) as exc:
        if not _registered_meanwhile(exc):
            logger.exception("household import %s failed", job_id)
            jobs.fail(HouseholdImport, job_id, f"系统错误，未写入任何数据：{type(exc).__name__}")
        else:
            jobs.fail(HouseholdImport, job_id, REGISTERED_MEANWHILE)
            HouseholdImport.objects.filter(pk=job_id).update(stage="未写入")
    except uploads.UploadRefused as exc:
        jobs.fail(HouseholdImport, job_id, exc.messages[0])
        HouseholdImport.objects.filter(pk=job_id).update(stage="文件无法读取", error_count=1,
                                                         errors=[["", 0, "", "", exc.messages[0]]])
    except Exception as exc:  # recorded on the job; the worker itself does not crash
        logger.exception("household import %s failed", job_id)
        jobs.fail(HouseholdImport, job_id, f"系统错误，未写入任何数据：{type(exc).__name__}")
    return _reload(job_id)


def _registered_meanwhile(exc: Exception) -> bool:
    """The write met a person that another import or registration wrote after this file was checked: the persons'
    unique blind index refused the row, or (its exclusion constraint, cases migration 0020) PostgreSQL ended one of
    two writes of the same person waiting for each other."""
    if isinstance(exc, OperationalError):
        return locks.is_deadlock(exc)
    return (getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None) == PERSON_UNIQUE
            or "cases_person.id_index" in str(exc))  # SQLite names the column


def _run(job: HouseholdImport, job_id: int, started: float, beat) -> HouseholdImport:
    """import_run's body: validate, then write (or refuse, or describe a dry run)."""
    beat(2, "读取文件")
    scope = Region.objects.get(code=job.scope_code)
    data = job.stored_file()
    job.file_cipher = b""  # not saved (the job row is only updated by field): a county's file is 30 MB
    plan = planning.build(data, job.file_name, scope=scope, update=job.mode == HouseholdImport.Mode.UPDATE)
    del data
    bad_rows = {p.row for p in plan.problems}
    counts = {"rows_total": plan.rows_read, "rows_valid": plan.rows_read - len(bad_rows),
              "households_created": plan.count("create"), "households_updated": plan.count("update"),
              "households_skipped": plan.count("skip"), "persons_created": plan.persons_to_create}
    beat(50, f"校验完成（{plan.rows_read} 行）", **counts)
    if plan.problems:
        errors = [p.as_list() for p in plan.problems[:MAX_STORED_ERRORS]]
        jobs.finish(HouseholdImport, job_id, status=jobs.JobStatus.FAILED, stage="校验未通过",
                    error=f"文件有 {len(plan.problems)} 处错误（{len(bad_rows)} 行），未导入任何数据。"
                          "请按错误报告更正后重新导入",
                    errors=errors, error_count=len(plan.problems))
        audit.record(actor=job.requested_by, action="household_import.refused", obj=job,
                     region=(job.county_id, "", ""), after={"errors": len(plan.problems), "rows": plan.rows_read})
        return _reload(job_id)
    if job.dry_run:
        jobs.finish(HouseholdImport, job_id, stage="试导入完成，未写入", rows_done=plan.rows_read,
                    changes=writer.describe(plan)[:MAX_STORED_ERRORS])
        return _reload(job_id)
    beat(55, f"加密并写入 {plan.count('create')} 户、更新 {plan.count('update')} 户")
    with transaction.atomic():
        # no progress writes in here: they would lock the job row against a cancel until the commit
        created = writer.create(plan, actor_id=job.requested_by_id, progress=lambda *_: _check_cancel(job_id))
        added = writer.add_members(plan)
        changes = writer.update(plan, added)
        cards = writer.payees(plan, created, actor_id=job.requested_by_id)
        _check_cancel(job_id)
        if created:
            audit.record(actor=job.requested_by, action="household_import.create", obj=job,
                         region=(job.county_id, "", ""),
                         after={"households": len(created), "persons": sum(len(h.members) for h in plan.households
                                                                            if h.action == "create"),
                                "cards": sum(1 for h in plan.households if h.action == "create" and h.card),
                                "first_id": created[0], "last_id": created[-1]})
        if changes:
            audit.record(actor=job.requested_by, action="household_import.update", obj=job,
                         region=(job.county_id, "", ""),
                         after={"households": plan.count("update"), "persons_added": len(added),
                                "cards": sum(1 for h in plan.households if h.card_changed), "rows": changes})
        logger.info("household import %s: %s cards registered", job_id, cards)
        jobs.finish(HouseholdImport, job_id, stage="导入完成", rows_done=plan.rows_read, created_ids=created,
                    changes=changes[:MAX_STORED_ERRORS])
    logger.info("household import %s: %s households in %.1f s", job_id, len(created), time.monotonic() - started)
    return _reload(job_id)


def _check_cancel(job_id: int) -> None:
    if HouseholdImport.objects.filter(pk=job_id, cancel_requested=True).exists():
        raise _Cancelled


def _reload(job_id: int) -> HouseholdImport:
    return HouseholdImport.objects.defer("file_cipher").get(pk=job_id)


def import_cancel(*, actor, job: HouseholdImport) -> bool:
    require(actor, Action.HOUSEHOLD_IMPORT)
    done = jobs.request_cancel(HouseholdImport, job.pk)
    if done:
        audit.record(actor=actor, action="household_import.cancel", obj=job, region=(job.county_id, "", ""))
    return done
