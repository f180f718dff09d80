"""Writes of the monitoring floor: comparison runs, clue findings, monthly snapshots and alerts."""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from accounts.scope import Action, reaches, require
from cases.dibao import rechecks as dibao_rechecks
from cases.models import Entitlement, PaymentHold, TemporaryAid
from cases.supervision import services as case_services
from core import audit, bulk, categories, jobs, locks, params, workdays
from core.models import Alert, Region
from core.months import add_months, first_of_month
from core.queue import enqueue_on_commit
from monitoring import matching, reader, staging
from monitoring.models import Clue, ComparisonRun, MonthlySnapshot, RunIssue
from monitoring.sources import GROUP_LABELS, SOURCES

logger = logging.getLogger(__name__)
MAX_FILE_BYTES = 60 * 1024 * 1024
ALLOWED_EXT = (".xlsx", ".xls", ".csv", ".xlsm")
EXECUTE_TASK = "monitoring.tasks.execute_run"  # queued by name: tasks import services, never the other way


# --- comparison runs -----------------------------------------------------------------------------------

def run_create(*, actor, source: str, file_name: str, data: bytes, period: dt.date | None = None,
               county: Region | None = None, enqueue: bool = True) -> ComparisonRun:
    """Store an uploaded department file (SM4-sealed) and queue the comparison job."""
    require(actor, Action.SUPERVISION_CHANGE)
    if source not in SOURCES:
        raise ValidationError({"source": "请选择数据来源"})
    if county is None:
        if actor.region.level != Region.Level.COUNTY:
            raise ValidationError({"county": "请选择县（市、区）"})
        county = actor.region
    if not county.code.startswith(actor.region_id):
        raise ValidationError("该县不在您的管辖范围内")
    if not data:
        raise ValidationError({"file": "上传的文件是空的"})
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError({"file": f"文件超过{MAX_FILE_BYTES // 1024 // 1024}MB，请按乡镇拆分后上传"})
    name = (file_name or "upload").strip()[:200]
    if not name.lower().endswith(ALLOWED_EXT):
        raise ValidationError({"file": "请上传 .xlsx、.xls 或 .csv 文件"})
    # The upload gate (reader.check_header: the whole zip decompressed and scanned, ≈0.4 s for a 200,000-row
    # sheet) runs in a thread while this one seals the file and writes the row: the SHA-256 and the INSERT of the
    # sealed bytes wait outside Python's lock. Nothing is committed before the gate has passed; a refused file
    # rolls the row back and only the gate's message reaches the officer.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="comparison-gate") as pool:
        gate = pool.submit(reader.check_header, data, name, SOURCES[source])
        run = ComparisonRun(county=county, source=source, period=first_of_month(period or timezone.localdate()),
                            uploaded_by=actor)
        run.store_file(name, data)  # file name, size, SHA-256 and the sealed bytes
        run.full_clean(exclude=["file_cipher", "uploaded_by"])
        with transaction.atomic():
            run.save()
            audit.record(actor=actor, action="comparison.upload", obj=run, region=(county.code, "", ""),
                         after={"source": source, "file_name": name, "sha256": run.file_sha256, "size": len(data),
                                "period": str(run.period)})
            _gate_passed(gate)  # raises inside the transaction: the row is rolled back
            if enqueue:
                enqueue_on_commit(EXECUTE_TASK, run.pk)
    return run


def _gate_passed(gate: Future) -> None:
    try:
        gate.result()
    except reader.FileRefused as exc:
        raise ValidationError({"file": exc.messages}) from None


def run_is_stale(run: ComparisonRun, now=None) -> bool:
    """Its worker died: marked interrupted by the sweeper (core.jobs), or still running without a heartbeat."""
    if run.status == ComparisonRun.Status.INTERRUPTED:
        return True
    if run.status != ComparisonRun.Status.RUNNING:
        return False
    now = now or timezone.now()
    limit = dt.timedelta(minutes=params.get("monitoring.run_stale_minutes"))
    return (run.heartbeat_at or run.started_at or run.created_at) < now - limit


def run_retry(*, actor, run: ComparisonRun) -> ComparisonRun:
    """Queue a run again: a failed one, a finished one (rerun; clues are never duplicated) or one whose
    worker died (running with a stale heartbeat)."""
    require(actor, Action.SUPERVISION_CHANGE, run)
    if run.status == ComparisonRun.Status.QUEUED:
        raise ValidationError("该比对已在排队，请稍候")
    if run.status == ComparisonRun.Status.RUNNING and not run_is_stale(run):
        raise ValidationError("该比对正在进行中，不能重复执行")
    with transaction.atomic():
        before = run.status
        updated = ComparisonRun.objects.filter(pk=run.pk, status=before).update(
            status=ComparisonRun.Status.QUEUED, progress=0, stage="等待重新执行", error="")
        if not updated:
            raise ValidationError("该比对状态已变化，请刷新页面")
        audit.record(actor=actor, action="comparison.retry", obj=run, region=(run.county_id, "", ""),
                     before={"status": before}, after={"status": "queued"})
        enqueue_on_commit(EXECUTE_TASK, run.pk)
    run.refresh_from_db()
    return run


def requeue_stale_runs() -> int:
    """Beat: runs whose worker died — marked interrupted by the sweeper (core.jobs), or still 'running' with a
    stale heartbeat — go back to the queue (at most 3 attempts; a re-run replaces its issue rows and never
    duplicates a clue)."""
    count = 0
    for run in ComparisonRun.objects.filter(status__in=(ComparisonRun.Status.RUNNING,
                                                        ComparisonRun.Status.INTERRUPTED)).defer("file_cipher"):
        if run.status == run.Status.RUNNING and not run_is_stale(run):
            continue
        if run.attempts >= 3:
            ComparisonRun.objects.filter(pk=run.pk, status=run.status).update(
                status=run.Status.FAILED, finished_at=timezone.now(),
                error="比对任务多次中断，已停止自动重试，请检查文件或联系系统管理员后手动重新执行")
            continue
        if ComparisonRun.objects.filter(pk=run.pk, status=run.status).update(
                status=run.Status.QUEUED, stage="任务中断，自动重新排队"):
            audit.record(actor=None, action="comparison.requeue_stale", obj=run, region=(run.county_id, "", ""))
            enqueue_on_commit(EXECUTE_TASK, run.pk)
            count += 1
    return count


def _claim(run_id: int) -> bool:
    """core.jobs.claim: queued or interrupted → running, once (a redelivered task finds it taken)."""
    if not jobs.claim(ComparisonRun, run_id):
        return False
    ComparisonRun.objects.filter(pk=run_id).update(progress=1, stage="读取文件")
    return True


def _progress(run_id: int, progress: int, stage: str, **counts) -> None:
    """Progress for the page, outside the job's transaction. A progress mark need not survive a crash of the
    database server (the heartbeat sweeper handles a dead job), so on PostgreSQL it does not wait for its WAL
    to reach the disk."""
    outside = not connection.in_atomic_block  # inside the job's transaction it commits with it (and durably)
    with transaction.atomic():
        if connection.vendor == "postgresql" and outside:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        ComparisonRun.objects.filter(pk=run_id).update(progress=progress, stage=stage, heartbeat_at=timezone.now(),
                                                       **counts)


def run_execute(run_id: int) -> ComparisonRun | None:
    """The job. The file is read first; every write (staging, issue rows, clues, holds) happens in one
    transaction, so a refused file or a crash leaves no clue or hold behind. On PostgreSQL the rows are
    validated inside it while a COPY streams them into the run's staging table (staging.StagingStream); on
    SQLite they are validated first and the staging rows written and removed in short chunks outside it (the
    single writer lock is never held for the whole file); a re-run after an interruption replaces them, and
    clues are never duplicated."""
    if not _claim(run_id):
        logger.info("comparison run %s not queued; skipped", run_id)
        return None
    run = ComparisonRun.objects.get(pk=run_id)
    try:
        with jobs.young_collections_only():  # a 200,000-row sheet is over a million objects
            _execute(run)
    except reader.FileRefused as exc:
        _fail(run, exc.messages[0])
    except Exception as exc:  # recorded on the run; the job itself does not crash the worker
        logger.exception("comparison run %s failed", run_id)
        _fail(run, f"系统错误，比对未完成，未写入任何线索：{type(exc).__name__}")
    return ComparisonRun.objects.defer("file_cipher").get(pk=run_id)


def _fail(run: ComparisonRun, message: str) -> None:
    if connection.vendor != "postgresql":  # staging rows written in chunks outside the rolled-back transaction
        staging.discard_staged(run.pk)
    ComparisonRun.objects.filter(pk=run.pk).update(
        status=ComparisonRun.Status.FAILED, error=message[:2000], finished_at=timezone.now(), stage="失败",
        heartbeat_at=timezone.now())
    audit.record(actor=None, action="comparison.failed", obj=run, region=(run.county_id, "", ""),
                 after={"error": message[:300]})


def _execute(run: ComparisonRun) -> None:
    clock = [time.perf_counter()]
    timings = {}

    def lap(name):
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 3)
        clock[0] = now

    source = SOURCES[run.source]
    data = run.stored_file()
    # run_create let these bytes through the upload gate (reader.check_header: size, type, zip bounds, under the
    # same limits) before sealing them; the same SHA-256 means the same bytes, so the zip is not scanned twice
    gated = hashlib.sha256(data).hexdigest() == run.file_sha256
    table = reader.read_table(data, run.file_name, source, passed_gate=gated)
    lap("read")
    total = max(len(table.rows), 1)
    today = timezone.localdate()
    due = workdays.add_workdays(today, params.get("monitoring.clue_due_workdays"))
    threshold = params.get("monitoring.medical_discovery_amount")
    chunked = connection.vendor != "postgresql"
    _progress(run.pk, 10, "校验身份证号码" if chunked else "校验身份证号码并写入比对库")

    def tick(done):
        _progress(run.pk, 10 + int(50 * done / total), f"校验身份证号码 {done}/{total}")

    def validated(checked):
        if checked.read == 0:
            raise reader.FileRefused("文件只有表头，没有数据行")
        lap("validate")
        _progress(run.pk, 60, "写入比对库并匹配", rows_read=checked.read, rows_valid=len(checked.staged),
                  rows_invalid=checked.invalid, rows_upgraded=checked.upgraded, rows_duplicate=checked.duplicate)
        return checked

    with contextlib.ExitStack() as job:
        if chunked:  # SQLite: the big staging write in short transactions, outside the job's one (matching)
            checked = validated(matching.validate(source, table.rows, table.columns, table.header_row,
                                                  progress=tick))
            staged = staging.stage_in_chunks(run.pk, checked.staged, on_chunk=lambda done, total: jobs.beat(
                ComparisonRun, run.pk, progress=60, stage=f"写入比对库 {done}/{total}", rows_done=done,
                rows_total=total))
            job.enter_context(transaction.atomic())
        else:
            # PostgreSQL: in the job's one transaction, the staging table is filled by a COPY that runs while the
            # rows are validated (staging.StagingStream); "validate" times both. The connection belongs to the
            # COPY until it ends, so no progress ticks in between (a 300,000-row file validates in about a second).
            job.enter_context(transaction.atomic())
            stream = staging.StagingStream(run.pk)
            try:
                checked = matching.validate(source, table.rows, table.columns, table.header_row,
                                            on_staged=stream.feed)
            except BaseException:
                stream.abort()
                raise
            staged = stream.finish(len(checked.staged))
            validated(checked)
        RunIssue.objects.filter(run=run).delete()
        bulk.insert_rows(RunIssue, ["run_id", *matching.ISSUE_FIELDS],
                         [(run.pk, *issue) for issue in checked.issues])
        lap("stage")
        matches = matching.match(staged, checked)
        leads, missing = matching.unregistered(source, checked, matches, county=run.county_id)
        bulk.insert_rows(RunIssue, ["run_id", *matching.ISSUE_FIELDS], [(run.pk, *issue) for issue in missing])
        lap("match")
        before = Clue.objects.filter(run=run).count()
        drafts = []
        for m in matches:
            draft = matching.rule(source, m, medical_threshold=threshold)
            if draft is not None:
                drafts.append((m, draft))
        if source.code == "province":
            drafts += matching.province_absent(source, run.county_id, matches)
        holds, hold_of = 0, {}
        if source.clue_kind == "death":
            holds, hold_of = _hold_deaths(run, matches, drafted={m.person_id for m, _ in drafts})
        bulk.insert_rows(Clue, CLUE_FIELDS, [
            (run.pk, source.code, draft.kind, draft.fact_key, m.person_id, m.household_id, m.county_id,
             m.township_id, m.village_id, draft.summary[:300], m.event_date, m.amount, due,
             ",".join(sorted(m.categories)), hold_of.get(m.person_id)) for m, draft in drafts],
            ignore_conflicts=True)
        bulk.insert_rows(Clue, LEAD_FIELDS, [
            (run.pk, source.code, Clue.Kind.DISCOVERY.value, matching.UNREGISTERED_KEY + lead.id_index,
             lead.village[:6], lead.village[:9], lead.village, lead.summary, lead.event_date, due, lead.name[:100],
             lead.id_masked) for lead in leads], ignore_conflicts=True)
        created = Clue.objects.filter(run=run).count() - before
        if not chunked:
            staging.unstage(run.pk, staged)
        lap("clues")
        now = timezone.now()
        ComparisonRun.objects.filter(pk=run.pk).update(
            status=ComparisonRun.Status.SUCCEEDED, progress=100, stage="完成", finished_at=now, heartbeat_at=now,
            rows_matched=len(matches), rows_unregistered=len(leads) + len(missing), clues_created=created,
            holds_placed=F("holds_placed") + holds, timings=timings)
        audit.record(actor=None, action="comparison.finished", obj=run, region=(run.county_id, "", ""),
                     after={"read": checked.read, "valid": len(checked.staged), "invalid": checked.invalid,
                            "matched": len(matches), "unregistered": len(leads) + len(missing),
                            "unregistered_unplaced": len(missing), "clues_created": created,
                            "holds": holds})
    if chunked:
        staging.unstage(run.pk, staged)


CLUE_FIELDS = ["run_id", "source", "kind", "fact_key", "person_id", "household_id", "county_id", "township_id",
               "village_id", "summary", "event_date", "amount", "due_date", "categories", "hold_id"]
# clues about people not registered here (matching.Lead): no person or household, a name and masked ID
LEAD_FIELDS = ["run_id", "source", "kind", "fact_key", "county_id", "township_id", "village_id", "summary",
               "event_date", "due_date", "subject_name", "subject_id_masked"]


def _hold_deaths(run: ComparisonRun, matches: list, *, drafted: set[int]) -> tuple[int, dict[int, int]]:
    """Deaths are the one automatic action: hold the person's payment line from the next batch at once, for
    persons in a household with an open 低保/特困 entitlement whose death clue is open and not yet held —
    the clue this run is about to write (`drafted`, no death clue yet) or an open one an earlier run wrote
    when the household was not paid. Holds are placed before the new clues are written, so those are
    inserted already linked (no second write of each clue). Returns (holds placed, {person: hold} for the
    new clues).

    On PostgreSQL the decision is serialised by an advisory lock held until commit: two runs reporting the
    same death (公安 and 卫健) cannot both decide the clue is new and hold the line twice."""
    paid = {m.person_id: m for m in matches if m.categories & matching.PAID}
    if not paid:
        return 0, {}
    locks.hold("monitoring.death_holds")
    persons = list(paid)
    existing = {}
    for start in range(0, len(persons), 5000):
        for clue_id, person, status, hold, src in (
                Clue.objects.filter(kind=Clue.Kind.DEATH, person_id__in=persons[start:start + 5000])
                .values_list("id", "person_id", "status", "hold_id", "source")):
            existing[person] = (clue_id, status, hold, src)
    new = [p for p in persons if p not in existing and p in drafted]
    old = [(existing[p][0], p, existing[p][3]) for p in persons
           if p in existing and existing[p][1] == Clue.Status.OPEN and existing[p][2] is None]
    if not new and not old:
        return 0, {}
    labels = dict(Clue._meta.get_field("source").choices)
    items = [(p, run.source) for p in new] + [(p, src) for _, p, src in old]
    holds = case_services.payment_hold_place_many(
        actor=None, kind="death", source=f"数据比对#{run.pk} {run.get_source_display()}"[:100],
        items=[{"household_id": paid[p].household_id, "person_id": p, "county_id": paid[p].county_id,
                "township_id": paid[p].township_id, "village_id": paid[p].village_id,
                "reason": f"{paid[p].person_name}疑似死亡（{labels.get(src, src)}），待乡镇核实"} for p, src in items])
    bulk.set_column(Clue, "hold", list(zip((clue_id for clue_id, _, _ in old), holds[len(new):], strict=True)))
    return len(holds), dict(zip(new, holds[:len(new)], strict=True))


# --- clue findings ------------------------------------------------------------------------------------------

FOLLOWUP_BY_KIND = {
    Clue.Kind.DEATH: Clue.FollowUp.EXIT,
    Clue.Kind.INCOME: Clue.FollowUp.RECHECK,
    Clue.Kind.PROPERTY: Clue.FollowUp.RECHECK,
    Clue.Kind.CHANGE: Clue.FollowUp.RECHECK,
    Clue.Kind.DISABILITY: Clue.FollowUp.RECORD_UPDATE,
    Clue.Kind.DISCOVERY: Clue.FollowUp.APPLICATION,
}


def clue_record_finding(*, actor, clue: Clue, confirmed: bool, finding: str,
                        deceased_on: dt.date | None = None) -> Clue:
    """The caseworker's finding closes a clue. Confirmed → the follow-up procedure is required (re-check
    brought forward, or for a death: the death recorded and the entitlement to be ended by the township);
    unfounded → the reason, and a death hold is released. Nothing exits here (§12-5)."""
    require(actor, Action.CASE_PROCESS, clue)
    if clue.status != Clue.Status.OPEN:
        raise ValidationError("该线索已办结，不能重复处理")
    finding = (finding or "").strip()
    if len(finding) < 4:
        raise ValidationError({"finding": "请写明核查情况（不属实的须写明理由）"})
    if confirmed and clue.kind == Clue.Kind.DEATH and deceased_on is None:
        raise ValidationError({"deceased_on": "确认死亡须填写核实的死亡日期"})
    with transaction.atomic():
        clue = Clue.objects.select_for_update().get(pk=clue.pk)
        if clue.status != Clue.Status.OPEN:
            raise ValidationError("该线索已办结，不能重复处理")
        clue.status = Clue.Status.CONFIRMED if confirmed else Clue.Status.UNFOUNDED
        clue.finding = finding
        clue.closed_by = actor
        clue.closed_at = timezone.now()
        clue.followup = FOLLOWUP_BY_KIND[clue.kind] if confirmed else ""
        fields = ["status", "finding", "closed_by", "closed_at", "followup"]
        if confirmed:
            open_ents = list(Entitlement.objects.open().filter(household_id=clue.household_id))
            if clue.kind == Clue.Kind.DEATH:
                case_services.person_confirm_death(actor=actor, person=clue.person, deceased_on=deceased_on,
                                                   evidence=finding)
                clue.deceased_on = deceased_on
                fields.append("deceased_on")
            if clue.followup in (Clue.FollowUp.RECHECK, Clue.FollowUp.EXIT):
                for ent in open_ents:
                    dibao_rechecks.entitlement_flag_for_recheck(
                        actor=actor, entitlement=ent,
                        reason=f"数据比对线索属实（{clue.get_kind_display()}）：{clue.summary[:120]}")
        elif clue.hold_id:
            hold = PaymentHold.objects.get(pk=clue.hold_id)
            if hold.released_at is None:
                case_services.payment_hold_release(actor=actor, hold=hold,
                                                   reason=f"死亡线索经核查不属实：{finding[:150]}")
        clue.full_clean(exclude=["run", "person", "household", "hold", "closed_by", "county", "township",
                                 "village"])
        clue.save(update_fields=fields)
        audit.record(actor=actor, action="clue.finding", obj=clue,
                     before={"status": "open"},
                     after={"status": clue.status, "followup": clue.followup,
                            "deceased_on": str(deceased_on) if deceased_on else None},
                     reason=finding)
    return clue


def clue_link_person(*, actor, clue: Clue, person) -> Clue:
    """A clue made about a person the system did not know, once the township has registered the household:
    the clue is attached to that person and household (same ID — the blind index the clue was made with),
    so the person's file shows it. Its place, status and deadline do not change."""
    require(actor, Action.CASE_PROCESS, clue)
    if not reaches(actor, Action.CASE_VIEW, person):
        raise ValidationError("该家庭档案不在您的管辖范围内")
    with transaction.atomic():
        clue = Clue.objects.select_for_update().get(pk=clue.pk)
        if not clue.unregistered:
            raise ValidationError("该线索已关联家庭档案")
        if clue.fact_key != matching.UNREGISTERED_KEY + person.id_index:
            raise ValidationError("身份证号码与线索不一致，不能关联")
        clue.person_id, clue.household_id = person.pk, person.household_id
        clue.save(update_fields=["person", "household"])
        audit.record(actor=actor, action="clue.link_person", obj=clue, before={"person": None, "household": None},
                     after={"person": person.pk, "household": person.household_id},
                     reason="未登记人员已建档，线索关联其家庭档案")
    return clue


# --- monthly checks and snapshots ----------------------------------------------------------------------------

def required_groups(on: dt.date) -> list[str]:
    raw = params.get("monitoring.required_sources", on=on)
    return [g.strip() for g in str(raw).replace("，", ",").split(",") if g.strip()]


def comparisons_check(*, today: dt.date | None = None) -> list[str]:
    """Beat (monthly, and daily in the last week): alert each county, and the city, for every required source
    group the county has not compared successfully this month, or fewer runs than the *(param)* minimum."""
    today = today or timezone.localdate()
    month = first_of_month(today)
    minimum = params.get("monitoring.comparisons_per_month", on=today)
    groups = required_groups(today)
    done = {}
    for county_id, src, n in (ComparisonRun.objects.filter(period=month, status=ComparisonRun.Status.SUCCEEDED)
                              .values_list("county_id", "source").annotate(n=Count("id"))):
        group = SOURCES[src].group if src in SOURCES else src
        done[(county_id, group)] = done.get((county_id, group), 0) + n
    raised = []
    for county in Region.objects.filter(level=Region.Level.COUNTY).order_by("code"):
        missing = [g for g in groups if done.get((county.code, g), 0) < minimum]
        for group in missing:
            label = GROUP_LABELS.get(group, group)
            text = f"{county.name}{month:%Y年%m月}尚未完成“{label}”数据比对（每月至少{minimum}次）"
            for region_code, role in ((county.code, "county_officer"), ("410800", "city_admin")):
                _, created = Alert.objects.get_or_create(
                    dedupe_key=f"monitoring.missing:{county.code}:{group}:{month:%Y-%m}:{region_code}",
                    defaults={"region_code": region_code, "role": role, "level": Alert.Level.WARNING,
                              "kind": "monitoring.comparison_missing", "message": text[:300],
                              "link": "/monitoring/runs/"})
                if created:
                    raised.append(text)
    return raised


# 临时救助 is not an entitlement: its row counts the grants made in the month (cases.TemporaryAid.granted_on),
# households aided and grants (人次) instead of persons covered.
TEMPORARY_AID = "temporary_aid"
# every entitlement category (codes and labels from core.categories), then 临时救助
SNAPSHOT_CATEGORIES = [*categories.Category.choices, (TEMPORARY_AID, "临时救助（当月发放）")]
PERSON_UNITS = {TEMPORARY_AID: "人次"}


def snapshot_build(*, month: dt.date, actor=None) -> int:
    """Counts of households and covered persons per township and category for entitlements open in `month`
    (replaces that month's rows; idempotent). One grouped query."""
    month = first_of_month(month)
    rows = (Entitlement.objects.active_in(month).values("county_id", "township_id", "category")
            .annotate(households=Count("household_id", distinct=True), persons=Count("id")).order_by())
    persons = {}
    for r in (Entitlement.objects.active_in(month).values("township_id", "category")
              .annotate(p=Sum("persons_covered")).order_by()):
        persons[(r["township_id"], r["category"])] = r["p"] or 0
    now = timezone.now()
    objs = [MonthlySnapshot(month=month, county_id=r["county_id"], township_id=r["township_id"],
                            category=r["category"], households=r["households"],
                            persons=persons.get((r["township_id"], r["category"]), 0), computed_at=now)
            for r in rows]
    objs += _temporary_aid_cells(month, now)
    with transaction.atomic():
        MonthlySnapshot.objects.filter(month=month).delete()
        MonthlySnapshot.objects.bulk_create(objs, batch_size=2000)
        if actor is not None:
            audit.record(actor=actor, action="monitoring.snapshot", object_type="monitoring.monthlysnapshot",
                         object_repr=f"{month:%Y年%m月}低收入人口统计", after={"rows": len(objs)})
    return len(objs)


def _temporary_aid_cells(month: dt.date, now) -> list[MonthlySnapshot]:
    """临时救助 granted in the month (paid from the reserve fund or confirmed; never pending or refused), per
    county and township of the household: households aided and grants."""
    end = add_months(month, 1)
    rows = (TemporaryAid.objects.granted().filter(granted_on__gte=month, granted_on__lt=end)
            .values("county_id", "township_id")
            .annotate(households=Count("household_id", distinct=True), grants=Count("id")).order_by())
    return [MonthlySnapshot(month=month, county_id=r["county_id"], township_id=r["township_id"],
                            category=TEMPORARY_AID, households=r["households"], persons=r["grants"],
                            computed_at=now) for r in rows]


def export_record(*, actor, what: str, filters: dict) -> None:
    """Exports of monitoring figures are audited (who took which figures out)."""
    require(actor, Action.SUPERVISION_VIEW)
    audit.record(actor=actor, action="monitoring.export", object_type="monitoring.monthlysnapshot",
                 object_repr=what[:200], after=filters, category=audit.Category.ACCESS,
                 region=(actor.region_id[:6] if len(actor.region_id) >= 6 else "", "", ""))
