"""Harness entries for the payment cycle (funds:* pages, payment-batch-* and price-index API).

Payment batches are county-level rows (region="410823"): 詹店镇 and 何营东村 users count as outside them, and
the county's finance officer (wuzhi_caizheng) reads batches but never households. Page POSTs answer the way
the payment pages do: a role that may read the batch but not take the step is sent back to the batch with the
refusal as a message (302), so the read-only roles get 302 there; the API refuses them with 403.
"""
import datetime as dt
import random
import tempfile

from accounts.scope import Action as A
from tests.harness import api, page, part

COUNTY = "410823"  # 武陟县


def _this_month() -> dt.date:
    from django.utils import timezone

    return timezone.localdate().replace(day=1)


@part("paid")
def _paid(w):
    """The world household is on 低保 with a registered card, so a batch has a line for it."""
    from decimal import Decimal

    from cases.models import Entitlement
    from demo.payments import synthetic_card
    from funds import services

    h = w.household
    Entitlement.objects.create(household=h, category="dibao", status="active", persons_covered=2,
                               monthly_amount=Decimal("500.00"), start_month=dt.date(2026, 1, 1),
                               county_id=h.county_id, township_id=h.township_id, village_id=h.village_id)
    services.payee_set(actor=w.users["wuzhi_minzheng"], household=h, person=w.head,
                       card_number=synthetic_card(random.Random(7)), bank_name="中国农业银行焦作分行")
    return h


@part("batch")
def _batch(w):
    """A draft regular batch of 武陟县 for this month, drafted by the county officer."""
    from core.models import Region
    from funds import services

    w.get("paid")
    return services.batch_draft(actor=w.users["wuzhi_minzheng"], county=Region.objects.get(code=COUNTY),
                                month=_this_month())


@part("final_batch")
def _final_batch(w):
    """A finalised batch of 武陟县 for last month (exportable)."""
    from core.models import Region
    from funds import services

    w.get("paid")
    month = (_this_month() - dt.timedelta(days=1)).replace(day=1)
    batch = services.batch_draft(actor=w.users["wuzhi_minzheng"], county=Region.objects.get(code=COUNTY), month=month)
    return services.batch_transition(actor=w.users["wuzhi_minzheng"], batch=batch, to=batch.Status.FINALISED)


def _job(w, status):
    from funds import services
    from funds.models import ExportJob

    job = services.export_request(actor=w.users["wuzhi_minzheng"], batch=w.get("final_batch"))
    path = ""
    if status == ExportJob.Status.SUCCEEDED:
        with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as f:
            f.write(b"PK harness")
            path = f.name
    ExportJob.objects.filter(pk=job.pk).update(status=status, file_path=path, rows=1, progress=100)
    job.refresh_from_db()
    return job


@part("export_done")
def _export_done(w):
    from funds.models import ExportJob

    return _job(w, ExportJob.Status.SUCCEEDED)


@part("export_failed")
def _export_failed(w):
    from funds.models import ExportJob

    return _job(w, ExportJob.Status.FAILED)


@part("bank_result_job")
def _bank_result_job(w):
    """A queued bank-result import of the world's batch (the file is not read here)."""
    from core.jobs import JobStatus
    from funds.models import BankResultJob

    job = BankResultJob(batch=w.get("batch"), county_id=COUNTY, requested_by=w.users["wuzhi_minzheng"],
                        status=JobStatus.QUEUED)
    job.store_file("result.csv", "序号,社保卡号/银行账号,发放金额(元),发放状态\n".encode())
    job.save()
    return job


def _card() -> str:
    from demo.payments import synthetic_card

    return synthetic_card(random.Random(11))


def _b(w):
    return w.get("batch").pk


READERS_302 = "a reader of the batch who may not take the step is sent back to it with the refusal as a message"

ENTRIES = [
    page("funds:index", "/funds/", public=True, anonymous=302, ok=302, scoped=False,
         note="a plain redirect to funds:batch_list, which does the checks"),
    page("funds:batch_list", "/funds/batches/", A.PAYMENT_VIEW, scoped=False),
    page("funds:batch_list", "/funds/batches/", A.PAYMENT_PREPARE, method="post",
         data=lambda w: {"month": f"{_this_month():%Y-%m}"}, ok=302, scoped=False,
         note="drafts the officer's own county's batch; readers of batches get 404 on POST"),
    page("funds:one_off_create", "/funds/batches/one-off/", A.PAYMENT_PREPARE, method="post", ok=302,
         scoped=False, note="drafts the officer's own county's one-off 临时救助 batch (or says there is none)"),
    page("funds:batch_detail", lambda w: f"/funds/batches/{_b(w)}/", A.PAYMENT_VIEW, region=COUNTY),
    page("funds:batch_request", lambda w: f"/funds/batches/{_b(w)}/request/", A.PAYMENT_VIEW, region=COUNTY),
    page("funds:batch_transition", lambda w: f"/funds/batches/{_b(w)}/transition/", A.PAYMENT_PREPARE,
         method="post", data={"to": "cancelled"}, ok=302, region=COUNTY, read_action=A.PAYMENT_VIEW,
         read_denied=302, note=READERS_302),
    page("funds:batch_regenerate", lambda w: f"/funds/batches/{_b(w)}/regenerate/", A.PAYMENT_PREPARE,
         method="post", ok=302, region=COUNTY, read_action=A.PAYMENT_VIEW, read_denied=302, note=READERS_302),
    page("funds:batch_supplement", lambda w: f"/funds/batches/{_b(w)}/supplement/", A.PAYMENT_VIEW,
         method="post", ok=302, region=COUNTY,
         note="a draft has no failed lines: the service refuses everyone who reaches the batch with a message "
              "(the role check is in tests/funds)"),
    page("funds:bank_result_upload", lambda w: f"/funds/batches/{_b(w)}/bank-result/", A.PAYMENT_VIEW,
         method="post", ok=302, region=COUNTY,
         note="no file: everyone who reaches the batch is sent back to it with a message"),
    page("funds:bank_result_status", lambda w: f"/funds/bank-results/{w.get('bank_result_job').pk}/",
         A.PAYMENT_VIEW, region=COUNTY),
    page("funds:bank_result_cancel", lambda w: f"/funds/bank-results/{w.get('bank_result_job').pk}/cancel/",
         A.PAYMENT_VIEW, method="post", ok=302, region=COUNTY,
         note="readers who may not cancel are sent back to the job with the refusal as a message"),
    page("funds:export_start", lambda w: f"/funds/batches/{w.get('final_batch').pk}/export/",
         (A.PAYMENT_PREPARE, A.PAYMENT_APPROVE), method="post", ok=302, region=COUNTY,
         read_action=A.PAYMENT_VIEW, read_denied=302, note=READERS_302),
    page("funds:export_status", lambda w: f"/funds/exports/{w.get('export_done').pk}/", A.PAYMENT_VIEW,
         region=COUNTY),
    page("funds:export_retry", lambda w: f"/funds/exports/{w.get('export_failed').pk}/retry/",
         (A.PAYMENT_PREPARE, A.PAYMENT_APPROVE), method="post", ok=302, region=COUNTY,
         read_action=A.PAYMENT_VIEW, read_denied=302, note=READERS_302),
    page("funds:export_download", lambda w: f"/funds/exports/{w.get('export_done').pk}/download/",
         (A.PAYMENT_PREPARE, A.PAYMENT_APPROVE), region=COUNTY,
         note="full ID and card numbers: readers of the batch (reviewer, city) get 404 like anyone else"),
    page("funds:payee_edit", lambda w: f"/funds/payees/{w.household.pk}/", A.PAYMENT_PREPARE),
    page("funds:payee_edit", lambda w: f"/funds/payees/{w.household.pk}/", A.PAYMENT_PREPARE, method="post",
         data=lambda w: {"person": w.head.pk, "card_number": _card(), "bank_name": "中国农业银行焦作分行",
                         "reason": "补登社保卡"}, ok=302),
    page("funds:deadline_report", "/funds/deadlines/", A.PAYMENT_VIEW, scoped=False),
    page("funds:price_index", "/funds/price-index/", (A.PAYMENT_VIEW, A.PRICE_INDEX_CHANGE), scoped=False),
    page("funds:price_index", "/funds/price-index/", A.PRICE_INDEX_CHANGE, method="post",
         data={"month": "2026-09", "cpi_yoy": "2.10", "food_cpi_yoy": "5.20"}, ok=302, scoped=False,
         note="only the city enters price indices; payment roles that read them get 404 on POST"),
    # API
    api("payment-batch-list", "/api/v1/payment-batches/", A.PAYMENT_VIEW, scoped=False),
    api("payment-batch-detail", lambda w: f"/api/v1/payment-batches/{_b(w)}/", A.PAYMENT_VIEW, region=COUNTY),
    api("payment-batch-lines", lambda w: f"/api/v1/payment-batches/{_b(w)}/lines/", A.PAYMENT_VIEW, region=COUNTY),
    api("payment-batch-transitions", lambda w: f"/api/v1/payment-batches/{_b(w)}/transitions/", A.PAYMENT_PREPARE,
        method="post", data={"to": "cancelled"}, region=COUNTY, read_action=A.PAYMENT_VIEW,
        expect={"wuzhi_caizheng": 400},
        note="finance may take the approve step but not cancel a draft: the transition rule refuses it (400)"),
    api("payment-batch-export", lambda w: f"/api/v1/payment-batches/{w.get('final_batch').pk}/export/",
        (A.PAYMENT_PREPARE, A.PAYMENT_APPROVE), region=COUNTY,
        note="full ID and card numbers: readers of the batch (reviewer, city) get 404"),
    api("payment-batch-bank-result", lambda w: f"/api/v1/payment-batches/{_b(w)}/bank-result/", A.PAYMENT_PREPARE,
        method="post", ok=415, region=COUNTY, read_action=A.PAYMENT_VIEW,
        note="the harness sends JSON, which the multipart endpoint refuses (415) once the role check passed; "
             "the import itself is in tests/funds"),
    api("bank-result-job-list", "/api/v1/bank-result-jobs/", A.PAYMENT_VIEW, scoped=False),
    api("bank-result-job-detail", lambda w: f"/api/v1/bank-result-jobs/{w.get('bank_result_job').pk}/",
        A.PAYMENT_VIEW, region=COUNTY),
    api("price-index-list", "/api/v1/price-index/", (A.PAYMENT_VIEW, A.PRICE_INDEX_CHANGE), scoped=False),
    api("price-index-list", "/api/v1/price-index/", A.PRICE_INDEX_CHANGE, method="post",
        data={"month": "2026-09-01", "cpi_yoy": "2.10", "food_cpi_yoy": "5.20"}, ok=201, scoped=False,
        read_action=A.PAYMENT_VIEW),
]

