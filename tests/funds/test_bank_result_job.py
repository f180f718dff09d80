"""The bank-result import as a background job: checked at upload, parsed by the worker, all or nothing."""
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from rest_framework.test import APIClient

from core import jobs
from core.models import AuditEvent
from funds import bankjobs, bankresults
from funds.models import BankResultJob, PaymentBatch, PaymentLine
from tests.funds.test_exports_and_bank import _result_rows, _xlsx, sent  # noqa: F401  (fixture)

S = PaymentBatch.Status


def _request(**kwargs):
    """The worker is queued on commit (eager Celery in tests): run the callbacks as a commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return bankjobs.bank_result_request(**kwargs)


def test_upload_queues_a_job_that_the_worker_applies(users, sent):  # noqa: F811
    job = _request(actor=users["wuzhi_minzheng"], batch=sent, name="结果.xlsx",
                                       data=_xlsx(_result_rows(sent, fail_line_no=2)))
    job.refresh_from_db()  # eager Celery in tests: the worker ran on commit
    assert job.status == jobs.JobStatus.SUCCEEDED and (job.paid, job.failed) == (2, 1) and job.progress == 100
    sent.refresh_from_db()
    assert sent.status == S.RESULT_IMPORTED
    assert AuditEvent.objects.filter(action="payment_batch.bank_result_upload").count() == 1
    assert b"\xe6\x88\x90" not in bytes(BankResultJob.objects.get().file_cipher)  # the file is sealed


def test_a_file_with_problems_fails_the_job_and_changes_nothing(users, sent):  # noqa: F811
    rows = _result_rows(sent)
    rows[0][3] = "1.00"  # wrong amount
    job = _request(actor=users["wuzhi_minzheng"], batch=sent, name="r.xlsx", data=_xlsx(rows))
    job.refresh_from_db()
    assert job.status == jobs.JobStatus.FAILED and job.problem_count == 1
    assert "与发放明细" in job.problems[0] and "批次未作任何改动" in job.error
    sent.refresh_from_db()
    assert sent.status == S.SENT_TO_BANK
    assert not PaymentLine.objects.filter(batch=sent).exclude(bank_status="pending").exists()


@pytest.mark.parametrize(("name", "data", "words"), [
    ("r.xlsx", b"%PDF-1.4\n" + bytes(100), "不是 Excel 文件"),
    ("r.csv", "序号,姓名\n".encode(), "表头缺少必需的列"),
    ("r.csv", b"", "空"),
])
def test_bad_files_are_refused_at_upload_without_a_job(users, sent, name, data, words):  # noqa: F811
    with pytest.raises(ValidationError) as err:
        _request(actor=users["wuzhi_minzheng"], batch=sent, name=name, data=data)
    assert words in " ".join(err.value.messages)
    assert not BankResultJob.objects.exists()


def test_zip_bomb_is_refused_at_upload(users, sent):  # noqa: F811
    """A small xlsx whose sheet declares a gigabyte is refused by the declared sizes, at once."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as w:
            for _ in range(400):
                w.write(b" " * (1 << 20))
    with pytest.raises(ValidationError) as err:
        _request(actor=users["wuzhi_minzheng"], batch=sent, name="r.xlsx", data=buf.getvalue())
    assert "解压后超过" in err.value.messages[0]
    assert not BankResultJob.objects.exists()


def test_cancel_before_the_worker_runs(users, sent, settings):  # noqa: F811
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from unittest import mock

    with mock.patch("core.queue.enqueue"):
        job = _request(actor=users["wuzhi_minzheng"], batch=sent, name="r.xlsx",
                                           data=_xlsx(_result_rows(sent)))
    assert bankjobs.bank_result_cancel(actor=users["wuzhi_minzheng"], job=job)
    assert bankjobs.bank_result_run(job.pk) is None  # a cancelled job is never claimed
    job.refresh_from_db()
    assert job.status == jobs.JobStatus.CANCELLED
    sent.refresh_from_db()
    assert sent.status == S.SENT_TO_BANK


def test_api_returns_202_with_the_job_and_refuses_oversized_files(users, sent, monkeypatch):  # noqa: F811
    api = APIClient()
    api.force_authenticate(users["wuzhi_minzheng"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        resp = api.post(f"/api/v1/payment-batches/{sent.pk}/bank-result/",
                        {"file": SimpleUploadedFile("r.xlsx", _xlsx(_result_rows(sent)))}, format="multipart")
    assert resp.status_code == 202, resp.content
    body = resp.json()
    assert body["status"] in ("queued", "succeeded")
    assert api.get(f"/api/v1/bank-result-jobs/{body['id']}/").json()["paid"] == 3
    monkeypatch.setattr(bankresults, "LIMITS", {"max_bytes": 1000, "max_columns": 60})
    resp = api.post(f"/api/v1/payment-batches/{sent.pk}/bank-result/",
                    {"file": SimpleUploadedFile("r.xlsx", bytes(5000))}, format="multipart")
    assert resp.status_code == 400 and "超过上限" in resp.json()["problems"][0]


def test_job_is_out_of_reach_for_another_county(users, sent):  # noqa: F811
    job = _request(actor=users["wuzhi_minzheng"], batch=sent, name="r.xlsx",
                                       data=_xlsx(_result_rows(sent)))
    other = next(u for name, u in users.items() if name.endswith("_minzheng") and name != "wuzhi_minzheng")
    api = APIClient()
    api.force_authenticate(other)
    assert api.get(f"/api/v1/bank-result-jobs/{job.pk}/").status_code == 404
