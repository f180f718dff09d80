"""Writes of the payment cycle. Each service checks role and reach, validates, writes set-based where it
touches many rows, and records the audit event, in one transaction."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.scope import Action, can, require
from cases.models import Entitlement, Household, PaymentHold, Person
from core import audit, categories, jobs
from core.models import Region
from core.months import first_of_month, previous_month
from core.queue import enqueue_on_commit
from funds import exports, pricing
from funds.models import ExportJob, PayeeAccount, PaymentBatch, PaymentLine, PriceIndex

S = PaymentBatch.Status
PAID_CATEGORIES = categories.PAID
MISSING_CARD = "未登记社保卡/银行账号"
EXPORT_TASK = "funds.tasks.run_export"  # queued by name: tasks import services, never the other way


# --- payee accounts -------------------------------------------------------------------------------------

def payee_set(*, actor, household: Household, card_number: str, bank_name: str, person: Person | None = None,
              reason: str = "") -> PayeeAccount:
    """Register or correct a household's card. The previous card stays on record (inactive)."""
    require(actor, Action.PAYMENT_PREPARE, household)
    if not (bank_name or "").strip():
        raise ValidationError({"bank_name": "请填写开户银行"})
    person = person or household.members.filter(relationship=Person.Relationship.HEAD).first()
    if person is None or person.household_id != household.pk:
        raise ValidationError({"person": "领取人必须是本户成员"})
    with transaction.atomic():
        old = (PayeeAccount.objects.select_for_update().filter(household=household, active=True).first())
        account = PayeeAccount(household=household, person=person, payee_name=person.name,
                               bank_name=bank_name.strip(), created_by=actor if actor else None,
                               county_id=household.county_id, township_id=household.township_id,
                               village_id=household.village_id)
        try:
            account.set_card(card_number)
        except ValidationError as exc:
            raise ValidationError({"card_number": exc.messages}) from None
        if old is not None:
            if old.card_index == account.card_index and old.bank_name == account.bank_name:
                raise ValidationError({"card_number": "新卡号与当前卡号相同"})
            old.active, old.replaced_at = False, timezone.now()
            old.save(update_fields=["active", "replaced_at"])
        account.full_clean(exclude=["household", "person", "county", "township", "village", "created_by"])
        account.save()
        audit.record(actor=actor, action="payee.set" if old is None else "payee.correct", obj=account,
                     before={"card": old.card_masked, "bank": old.bank_name} if old else None,
                     after={"card": account.card_masked, "bank": account.bank_name}, reason=reason)
    return account


# --- price index ----------------------------------------------------------------------------------------

def price_index_set(*, actor, month: dt.date, cpi_yoy: Decimal, food_cpi_yoy: Decimal) -> PriceIndex:
    require(actor, Action.PRICE_INDEX_CHANGE, refuse="只有市级管理员可以录入价格指数")
    month = first_of_month(month)
    for name, value in (("cpi_yoy", cpi_yoy), ("food_cpi_yoy", food_cpi_yoy)):
        if value is None or not Decimal("-50") <= Decimal(value) <= Decimal("100"):
            raise ValidationError({name: "涨幅应在 -50% 至 100% 之间"})
    with transaction.atomic():
        row = PriceIndex.objects.select_for_update().filter(month=month).first()
        before = {"cpi": str(row.cpi_yoy), "food": str(row.food_cpi_yoy)} if row else None
        if row is None:
            row = PriceIndex(month=month, entered_by=actor)
        row.cpi_yoy, row.food_cpi_yoy, row.entered_by, row.entered_at = cpi_yoy, food_cpi_yoy, actor, timezone.now()
        row.full_clean(exclude=["entered_by"])
        row.save()
        rate = pricing.triggering_rate(Decimal(cpi_yoy), Decimal(food_cpi_yoy), month)
        audit.record(actor=actor, action="price_index.set", obj=row, before=before,
                     after={"cpi": str(cpi_yoy), "food": str(food_cpi_yoy), "linkage": str(rate) if rate else "off"},
                     region=("", "", ""))
    return row


# --- drafting (set-based) -------------------------------------------------------------------------------

_INSERT_COLUMNS = (
    "batch_id, line_no, month, household_id, entitlement_id, payee_id, head_name, card_masked, bank_name, "
    "category, basis, persons_covered, amount, previous_amount, change, excluded, exclusion_reason, "
    "claims_slot, bank_status, bank_reason, county_id, township_id, village_id, reissue_of_id"
)

# One row per household with an open hold in the county: the reason shown on its excluded lines.
_OPEN_HOLDS = (
    "SELECT ph.household_id, MIN(CASE ph.kind WHEN 'death' THEN '疑似死亡' WHEN 'suspension' THEN '暂停发放'"
    " ELSE '暂停' END || '：' || ph.reason) AS reason FROM cases_paymenthold ph"
    " WHERE ph.county_id = %(county)s AND ph.released_at IS NULL GROUP BY ph.household_id"
)


# A line is excluded (not paid, not in the 一卡通 file) when its household has an open hold or no card.
_EXCLUDED = "CASE WHEN hd.reason IS NOT NULL OR p.id IS NULL THEN TRUE ELSE FALSE END"


def _draft_sql(subsidised_categories: tuple[str, ...]) -> str:
    """The INSERT … SELECT of a regular batch; the price-subsidy lines only for `subsidised_categories`
    (empty: no subsidy this month). The category codes are bound as query parameters (%(subsidy_i)s).
    The county's payable entitlements are read once, each joined once to its household, its card and its
    household's open holds; a two-row constant table makes an entitlement's regular line (k = 1: a paid category
    with an amount) and its price-subsidy line (k = 2: a subsidised category with persons covered).
    序号 (line_no): the paid lines first, 1..N without gaps in township/village order — the 一卡通 file and the
    bank's result file use that number — then the excluded lines N+1.. (never in the file). Lines never change
    after the draft (regenerating deletes and drafts them again), so the numbering holds to the bank."""
    paid = ", ".join(f"'{c}'" for c in PAID_CATEGORIES)
    subsidised = ", ".join(f"%(subsidy_{i})s" for i in range(len(subsidised_categories)))
    if subsidised_categories:
        kinds = "(SELECT 1 AS k UNION ALL SELECT 2 AS k)"
        wanted = f"(e.category IN ({paid}) OR e.category IN ({subsidised}))"
        make = (f"(k.k = 1 AND e.category IN ({paid}) AND e.monthly_amount > 0)"
                f" OR (k.k = 2 AND e.category IN ({subsidised}) AND e.persons_covered > 0)")
    else:
        kinds, wanted, make = "(SELECT 1 AS k)", f"e.category IN ({paid})", "e.monthly_amount > 0"
    src = f"""
        SELECT e.household_id, e.id AS entitlement_id, e.status, e.persons_covered AS persons,
               CASE WHEN k.k = 1 THEN e.category ELSE 'price_subsidy' END AS category,
               CASE WHEN k.k = 1 THEN '' ELSE e.category END AS basis,
               CASE WHEN k.k = 1 THEN e.monthly_amount
                    ELSE ROUND(CASE WHEN h.hukou_type = 'urban' THEN CAST(%(urban)s AS NUMERIC(12,2))
                                    ELSE CAST(%(rural)s AS NUMERIC(12,2)) END * e.persons_covered, 2) END AS amount,
               h.head_name, h.county_id, h.township_id, h.village_id
        FROM cases_entitlement e
        JOIN cases_household h ON h.id = e.household_id AND h.county_id = %(county)s
        JOIN {kinds} k ON {make}
        WHERE e.county_id = %(county)s AND {Entitlement.payable_sql('e', '%(month)s')} AND {wanted}"""
    return f"""
        INSERT INTO funds_paymentline ({_INSERT_COLUMNS})
        SELECT %(batch)s, ROW_NUMBER() OVER (ORDER BY {_EXCLUDED}, s.township_id, s.village_id, s.household_id,
                                             s.category, s.basis),
               %(month)s, s.household_id, s.entitlement_id, p.id, s.head_name,
               COALESCE(p.card_masked, ''), COALESCE(p.bank_name, ''), s.category, s.basis, s.persons, s.amount,
               prev.amount,
               CASE WHEN prev.amount IS NULL THEN 'new' WHEN s.status = 'phasing_out' THEN 'phasing_out'
                    WHEN prev.amount <> s.amount THEN 'adjusted' ELSE '' END,
               {_EXCLUDED},
               COALESCE(hd.reason, CASE WHEN p.id IS NULL THEN '{MISSING_CARD}' ELSE '' END),
               CASE WHEN hd.reason IS NOT NULL OR p.id IS NULL THEN FALSE ELSE TRUE END,
               'pending', '', s.county_id, s.township_id, s.village_id, NULL
        FROM ({src}) s
        LEFT JOIN ({_OPEN_HOLDS}) hd ON hd.household_id = s.household_id
        LEFT JOIN funds_payeeaccount p ON p.household_id = s.household_id AND p.active
        LEFT JOIN funds_paymentline prev ON prev.household_id = s.household_id AND prev.month = %(prev)s
             AND prev.category = s.category AND prev.basis = s.basis AND prev.claims_slot
    """


def _fill_lines(batch: PaymentBatch) -> None:
    """INSERT … SELECT every line of a regular batch from the active entitlements in one statement."""
    rate = pricing.rate_for(batch.month)
    args = {"batch": batch.pk, "county": batch.county_id, "month": batch.month, "prev": previous_month(batch.month),
            "urban": 0, "rural": 0}
    categories = pricing.subsidy_categories(batch.month) if rate is not None else ()
    if categories:
        args["urban"] = pricing.per_person_for(batch.county_id, "urban", batch.month, rate)
        args["rural"] = pricing.per_person_for(batch.county_id, "rural", batch.month, rate)
        args.update({f"subsidy_{i}": c for i, c in enumerate(categories)})
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW jit")
            jit = cursor.fetchone()[0]
            # sort the county's lines in memory; no JIT: at 10,000,000 persons the statement's estimated cost
            # passes jit_optimize/inline_above_cost and compiling took 2.3–2.6 s per county (issue #22 item 3)
            cursor.execute("SET LOCAL work_mem = '64MB'; SET LOCAL jit = off")
            # the batch's totals from the rows as they are written (the same figures as _refresh_totals, without
            # reading the lines back)
            cursor.execute(f"WITH ins AS ({_draft_sql(categories)} RETURNING household_id, excluded, amount)"
                           " SELECT COUNT(DISTINCT household_id) FILTER (WHERE NOT excluded),"
                           " COUNT(DISTINCT household_id) FILTER (WHERE excluded),"
                           " SUM(amount) FILTER (WHERE NOT excluded) FROM ins", args)
            n, x, total = cursor.fetchone()
            batch.line_count, batch.excluded_count, batch.total_amount = n, x, total or Decimal("0.00")
            cursor.execute("SELECT set_config('jit', %s, true)", [jit])  # the rest of the transaction as it was
        else:
            cursor.execute(_draft_sql(categories), args)
            _refresh_totals(batch)
    batch.price_rate = rate
    batch.drafted_at = timezone.now()
    batch.save(update_fields=["price_rate", "line_count", "excluded_count", "total_amount", "drafted_at"])


def _refresh_totals(batch: PaymentBatch) -> None:
    agg = PaymentLine.objects.filter(batch=batch).aggregate(
        n=Count("household", filter=Q(excluded=False), distinct=True),
        x=Count("household", filter=Q(excluded=True), distinct=True),
        total=Sum("amount", filter=Q(excluded=False)),
    )
    batch.line_count, batch.excluded_count = agg["n"], agg["x"]
    batch.total_amount = agg["total"] or Decimal("0.00")


def _duplicate_error(exc: IntegrityError) -> ValidationError:
    text = str(exc)
    if "line_paid_once" in text or "household_id, month, category" in text or "funds_paymentline" in text:
        return ValidationError("同一家庭同一月份同一类别已在其他批次中发放，不能重复发放")
    return ValidationError("本县本月的发放批次已存在（可能刚被他人生成），请刷新后查看")


def batch_draft(*, actor, county: Region, month: dt.date) -> PaymentBatch:
    """Draft a county's regular batch for a month. actor=None is the scheduled system run."""
    month = first_of_month(month)
    probe = PaymentBatch(county=county, month=month)
    if actor is not None:
        require(actor, Action.PAYMENT_PREPARE, probe)
    if county.level != Region.Level.COUNTY:
        raise ValidationError("发放批次按县（市、区）生成")
    try:
        with transaction.atomic():
            if PaymentBatch.objects.live().filter(county=county, month=month, kind=PaymentBatch.Kind.REGULAR).exists():
                raise ValidationError(f"{county.name}{month:%Y年%m月}的月度批次已存在")
            seq = (PaymentBatch.objects.filter(county=county, month=month).order_by("-sequence")
                   .values_list("sequence", flat=True).first() or 0) + 1
            batch = PaymentBatch.objects.create(county=county, month=month, sequence=seq, created_by=actor)
            _fill_lines(batch)
            audit.record(actor=actor, action="payment_batch.draft", obj=batch,
                         after={"lines": batch.line_count, "excluded": batch.excluded_count,
                                "total": str(batch.total_amount), "price_rate": str(batch.price_rate or "")},
                         region=(county.code, "", ""))
    except IntegrityError as exc:
        raise _duplicate_error(exc) from None
    return batch


def batch_regenerate(*, actor, batch: PaymentBatch) -> PaymentBatch:
    """Throw away a draft's lines and draft them again from today's entitlements, holds and cards."""
    require(actor, Action.PAYMENT_PREPARE, batch)
    try:
        with transaction.atomic():
            batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
            if batch.status != S.DRAFT:
                raise ValidationError(f"批次{batch.get_status_display()}，不能重新生成")
            if batch.kind != PaymentBatch.Kind.REGULAR:
                raise ValidationError("补发批次不能重新生成")
            before = {"lines": batch.line_count, "total": str(batch.total_amount)}
            PaymentLine.objects.filter(batch=batch).delete()
            _fill_lines(batch)
            audit.record(actor=actor, action="payment_batch.regenerate", obj=batch, before=before,
                         after={"lines": batch.line_count, "total": str(batch.total_amount)},
                         region=(batch.county_id, "", ""))
    except IntegrityError as exc:
        raise _duplicate_error(exc) from None
    return batch


def _changed_since_draft(batch: PaymentBatch) -> str:
    """What changed in the county after the draft was made (a late death hold must not be paid)."""
    since = batch.drafted_at
    holds = PaymentHold.objects.filter(county_id=batch.county_id)
    if holds.filter(Q(created_at__gt=since) | Q(released_at__gt=since)).exists():
        return "新的暂停发放或解除暂停"
    if Entitlement.objects.filter(county_id=batch.county_id).filter(
            Q(created_at__gt=since) | Q(updated_at__gt=since)).exists():
        return "救助待遇变动"
    if PayeeAccount.objects.filter(county_id=batch.county_id, created_at__gt=since).exists():
        return "社保卡/银行账号变更"
    return ""


# --- the lifecycle: one transition function -------------------------------------------------------------

# (from, to): (action, label)
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (S.DRAFT, S.FINALISED): (Action.PAYMENT_PREPARE, "定稿"),
    (S.DRAFT, S.CANCELLED): (Action.PAYMENT_PREPARE, "作废"),
    (S.FINALISED, S.FUNDS_REQUESTED): (Action.PAYMENT_PREPARE, "提交资金申请"),
    (S.FUNDS_REQUESTED, S.TRANSFERRED): (Action.PAYMENT_APPROVE, "审核并拨付"),
    (S.TRANSFERRED, S.SENT_TO_BANK): (Action.PAYMENT_PREPARE, "送银行发放"),
    (S.SENT_TO_BANK, S.RESULT_IMPORTED): (Action.PAYMENT_PREPARE, "导入发放结果"),
    (S.RESULT_IMPORTED, S.CLOSED): (Action.PAYMENT_PREPARE, "关闭批次"),
}
_STAMP = {S.FINALISED: "finalised_at", S.FUNDS_REQUESTED: "funds_requested_at", S.TRANSFERRED: "transferred_at",
          S.SENT_TO_BANK: "sent_at", S.RESULT_IMPORTED: "result_imported_at", S.CLOSED: "closed_at"}


def next_steps(batch: PaymentBatch, user) -> list[tuple[str, str]]:
    """[(to, label)] the user may take now (the bank-result step happens by importing the file)."""
    return [(to, label) for (frm, to), (action, label) in TRANSITIONS.items()
            if frm == batch.status and to != S.RESULT_IMPORTED and can(user, action)
            and not (action == Action.PAYMENT_APPROVE and batch.finalised_by_id == getattr(user, "pk", None))]


def batch_transition(*, actor, batch: PaymentBatch, to: str, reference: str = "", note: str = "",
                     _via_import: bool = False) -> PaymentBatch:
    with transaction.atomic():
        batch = PaymentBatch.objects.select_for_update().select_related("county").get(pk=batch.pk)
        rule = TRANSITIONS.get((batch.status, to))
        if rule is None:
            target = S(to).label if to in S.values else to
            raise ValidationError(f"批次当前为“{batch.get_status_display()}”，不能变更为“{target}”")
        action, label = rule
        require(actor, action, batch)
        if to == S.RESULT_IMPORTED and not _via_import:
            raise ValidationError("请上传银行发放结果文件，导入成功后批次自动进入此状态")
        if to == S.FINALISED and batch.line_count == 0:
            raise ValidationError("批次没有可发放的明细，不能定稿")
        if to == S.FINALISED and batch.kind == PaymentBatch.Kind.REGULAR and (stale := _changed_since_draft(batch)):
            raise ValidationError(f"草稿生成后本县有{stale}，请先“按最新数据重新生成”再定稿")
        if to == S.TRANSFERRED:
            if batch.finalised_by_id == actor.pk:
                raise ValidationError("定稿人不能审核拨付本批次资金（不相容岗位分离）")
            if not reference.strip():
                raise ValidationError({"reference": "请填写拨付凭证号"})
            batch.transfer_reference = reference.strip()[:60]
        before = {"status": batch.status}
        batch.status = to
        fields = ["status"]
        if to in _STAMP:
            setattr(batch, _STAMP[to], timezone.now())
            fields.append(_STAMP[to])
        if to == S.FINALISED:
            batch.finalised_by = actor
            fields.append("finalised_by")
        if to == S.TRANSFERRED:
            batch.approved_by = actor
            fields += ["approved_by", "transfer_reference"]
        if note:
            batch.note = note[:200]
            fields.append("note")
        batch.save(update_fields=fields)
        if to == S.CANCELLED:
            PaymentLine.objects.filter(batch=batch).update(claims_slot=False)
        audit.record(actor=actor, action=f"payment_batch.{to}", obj=batch, before=before,
                     after={"status": to, "reference": batch.transfer_reference} if reference else {"status": to},
                     reason=note, region=(batch.county_id, "", ""))
    return batch


# --- supplementary batches ------------------------------------------------------------------------------

def batch_supplement(*, actor, batch: PaymentBatch) -> PaymentBatch:
    """Re-issue the failed lines whose card has since been corrected, in a new supplementary batch."""
    require(actor, Action.PAYMENT_PREPARE, batch)
    with transaction.atomic():
        batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status not in (S.RESULT_IMPORTED, S.CLOSED):
            raise ValidationError("导入银行发放结果后才能补发失败明细")
        failed = PaymentLine.objects.filter(batch=batch, bank_status=PaymentLine.BankStatus.FAILED)
        ready = failed.filter(household__payee_accounts__active=True).exclude(
            payee_id__in=PayeeAccount.objects.filter(active=True).values("pk"))
        line_ids = list(ready.values_list("pk", flat=True))
        if not line_ids:
            raise ValidationError("没有已更正卡号的失败明细可补发；请先为失败家庭更正社保卡号/银行账号")
        seq = (PaymentBatch.objects.filter(county=batch.county, month=batch.month).order_by("-sequence")
               .values_list("sequence", flat=True).first()) + 1
        supplement = PaymentBatch.objects.create(county=batch.county, month=batch.month, sequence=seq,
                                                 kind=PaymentBatch.Kind.SUPPLEMENTARY, parent=batch,
                                                 created_by=actor, price_rate=batch.price_rate)
        # give up the slot first so the re-issue can claim it (the unique constraint stays in force)
        PaymentLine.objects.filter(pk__in=line_ids).update(claims_slot=False, bank_status=PaymentLine.BankStatus.REISSUED)
        ids = ", ".join(str(int(i)) for i in line_ids)
        with connection.cursor() as cursor:
            cursor.execute(f"""
                INSERT INTO funds_paymentline ({_INSERT_COLUMNS})
                SELECT %s, ROW_NUMBER() OVER (ORDER BY l.line_no), l.month, l.household_id, l.entitlement_id, p.id,
                       l.head_name, p.card_masked, p.bank_name, l.category, l.basis, l.persons_covered, l.amount,
                       l.amount, 'reissue', FALSE, '', TRUE, 'pending', '', l.county_id, l.township_id,
                       l.village_id, l.id
                FROM funds_paymentline l
                JOIN funds_payeeaccount p ON p.household_id = l.household_id AND p.active
                WHERE l.id IN ({ids})""", [supplement.pk])
        _refresh_totals(supplement)
        supplement.save(update_fields=["line_count", "excluded_count", "total_amount"])
        audit.record(actor=actor, action="payment_batch.supplement", obj=supplement,
                     after={"parent": batch.pk, "lines": supplement.line_count, "total": str(supplement.total_amount)},
                     region=(batch.county_id, "", ""))
    return supplement


# --- exports --------------------------------------------------------------------------------------------

def _require_export_role(actor) -> None:
    """The 一卡通 file holds full ID and card numbers: only the roles that prepare or approve payments export it."""
    if not (can(actor, Action.PAYMENT_PREPARE) or can(actor, Action.PAYMENT_APPROVE)):
        raise ValidationError("您的角色无权导出发放文件")


def export_request(*, actor, batch: PaymentBatch) -> ExportJob:
    """Queue the 一卡通 file for a finalised batch (drafts are not paid from)."""
    _require_export_role(actor)
    require(actor, Action.PAYMENT_VIEW, batch)
    if batch.status in (S.DRAFT, S.CANCELLED):
        raise ValidationError("草稿或已作废的批次不能导出发放文件，请先定稿")
    with transaction.atomic():
        job = ExportJob.objects.create(batch=batch, county_id=batch.county_id, requested_by=actor)
        audit.record(actor=actor, action="payment_export.request", obj=job, object_repr=str(batch),
                     region=(batch.county_id, "", ""))
        enqueue_on_commit(EXPORT_TASK, job.pk)
    return job


def export_retry(*, actor, job: ExportJob) -> ExportJob:
    """Queue a failed or interrupted export again: only the roles that may export (county officer, finance), like
    export_request. The re-run rewrites the same file."""
    _require_export_role(actor)
    require(actor, Action.PAYMENT_VIEW, job)
    if job.status not in (ExportJob.Status.FAILED, ExportJob.Status.INTERRUPTED):
        raise ValidationError("只有失败或中断的导出任务可以重试")
    with transaction.atomic():
        if not ExportJob.objects.filter(pk=job.pk, status=job.status).update(
                status=ExportJob.Status.QUEUED, error="", progress=0, stage="等待重新执行"):
            raise ValidationError("该导出任务状态已变化，请刷新页面")
        audit.record(actor=actor, action="payment_export.retry", obj=job, region=(job.county_id, "", ""))
        enqueue_on_commit(EXPORT_TASK, job.pk)
    job.refresh_from_db()
    return job


def export_run(*, job_id: int) -> ExportJob:
    """Write the file (called by the task; a core.jobs job: claimed once, heartbeat with every 2,000 rows).
    Failure is recorded on the job; the batch is never touched. A job another worker holds, or one already
    finished, is left alone (a redelivered task does not write the file twice at once)."""
    job = ExportJob.objects.select_related("batch", "batch__county").get(pk=job_id)
    if not jobs.claim(ExportJob, job.pk):
        return job
    directory = settings.MEDIA_ROOT / "exports"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"batch-{job.batch.number}-job{job.pk}.xlsx"
    jobs.beat(ExportJob, job.pk, progress=0, stage="生成一卡通文件")

    def progress(done: int, total: int) -> None:
        jobs.beat(ExportJob, job.pk, progress=min(99, int(done * 100 / max(total, 1))), rows=done, rows_done=done,
                  rows_total=total)

    try:
        rows = exports.write_payment_file(job.batch, path, progress=progress)
    except Exception as exc:  # recorded and shown with a retry button
        jobs.fail(ExportJob, job.pk, f"{type(exc).__name__}: {exc}")
        raise
    jobs.finish(ExportJob, job.pk, rows=rows, rows_done=rows, rows_total=rows, file_path=str(path), stage="完成")
    job.refresh_from_db()
    return job


def export_downloaded(*, actor, batch: PaymentBatch, rows: int, job: ExportJob | None = None) -> None:
    """Every hand-over of full ID and card numbers is on the audit trail: who, which batch, how many rows."""
    audit.record(actor=actor, action="payment_export.download", obj=batch, category=audit.Category.ACCESS,
                 after={"rows": rows, "job": job.pk if job else None}, region=(batch.county_id, "", ""))
