"""The bank-result import as a background job (core.jobs): the web request checks the file's size, type and
header, seals it and queues the job; the worker reads, checks every line against the batch and applies all
results at once (funds.bankresults) — or records every problem and changes nothing.
"""
from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.scope import Action, require
from core import audit, jobs
from core.queue import enqueue_on_commit
from funds import bankresults
from funds.models import BankResultJob, PaymentBatch

logger = logging.getLogger(__name__)
RUN_TASK = "funds.tasks.import_bank_result"
MAX_STORED_PROBLEMS = 500


def bank_result_request(*, actor, batch: PaymentBatch, name: str, data: bytes) -> BankResultJob:
    """Check what can be checked at once (role, batch state, size, type, header), store the file sealed and
    queue the job. Raises BankFileError (a list of Chinese messages)."""
    require(actor, Action.PAYMENT_PREPARE, batch)
    if batch.status != PaymentBatch.Status.SENT_TO_BANK:
        raise bankresults.BankFileError([f"批次当前为“{batch.get_status_display()}”，送银行后才能导入发放结果"])
    if BankResultJob.objects.filter(batch=batch, status__in=(jobs.JobStatus.QUEUED, jobs.JobStatus.RUNNING)).exists():
        raise bankresults.BankFileError(["本批次已有一个结果文件正在导入，请等它完成后再上传"])
    bankresults.check_header(name, data)
    job = BankResultJob(batch=batch, county_id=batch.county_id, requested_by=actor, stage="排队等待")
    job.store_file(name, data)
    with transaction.atomic():
        job.save()
        audit.record(actor=actor, action="payment_batch.bank_result_upload", obj=batch,
                     after={"job": job.pk, "file": job.file_name[:100], "size": job.file_size,
                            "sha256": job.file_sha256}, region=(batch.county_id, "", ""))
        enqueue_on_commit(RUN_TASK, job.pk)
    return job


def bank_result_run(job_id: int) -> BankResultJob | None:
    """The worker's part. A refused file or any error leaves the batch as it was; the job says why."""
    if not jobs.claim(BankResultJob, job_id):
        return None
    job = BankResultJob.objects.select_related("batch", "requested_by").get(pk=job_id)
    try:
        jobs.beat(BankResultJob, job_id, progress=5, stage="读取文件")
        parsed = bankresults.parse(job.file_name, job.stored_file())
        if not jobs.beat(BankResultJob, job_id, progress=40, stage="核对发放明细", rows_total=len(parsed)):
            jobs.finish(BankResultJob, job_id, status=jobs.JobStatus.CANCELLED, stage="已取消")
            return _reload(job_id)
        outcome = bankresults.bank_result_import(actor=job.requested_by, batch=job.batch, name=job.file_name,
                                                 parsed=parsed)
    except ValidationError as exc:
        problems = exc.messages
        jobs.finish(BankResultJob, job_id, status=jobs.JobStatus.FAILED, stage="文件有问题，未导入",
                    error=f"结果文件未导入：共 {len(problems)} 个问题，批次未作任何改动",
                    problems=problems[:MAX_STORED_PROBLEMS], problem_count=len(problems))
    except Exception as exc:  # recorded on the job; the worker itself does not crash
        logger.exception("bank result job %s failed", job_id)
        jobs.fail(BankResultJob, job_id, f"系统错误，结果未导入，批次未作任何改动：{type(exc).__name__}")
    else:
        jobs.finish(BankResultJob, job_id, stage="完成", rows_done=outcome.paid + outcome.failed,
                    paid=outcome.paid, failed=outcome.failed)
    return _reload(job_id)


def _reload(job_id: int) -> BankResultJob:
    return BankResultJob.objects.defer("file_cipher").get(pk=job_id)


def bank_result_cancel(*, actor, job: BankResultJob) -> bool:
    require(actor, Action.PAYMENT_PREPARE, job.batch)
    done = jobs.request_cancel(BankResultJob, job.pk)
    if done:
        audit.record(actor=actor, action="payment_batch.bank_result_cancel", obj=job.batch,
                     after={"job": job.pk}, region=(job.county_id, "", ""))
    return done
