"""Writes of active discovery (§7). Keyword-only, actor first; each checks role and reach, validates, saves and
audits in one transaction and raises a Chinese ValidationError when refused.

- grid_create / grid_change_worker (history in GridWorkerTerm) / household_assign (history in GridMembership)
- visit_record: a visit; when it finds a difficulty (checklist) or asks for follow-up it opens a ledger record
- record_create / record_close: the 工作台账 (nothing closes without an outcome; "not eligible" needs the reason)
- ledger_pull: records from every app's `ledger_feed.py: FEEDS` (monitoring's 主动发现 clues flow in this way)
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.scope import Action, can, reaches
from attachments import services as attachment_services
from cases.households.models import Household
from core import audit, params, pii, workdays
from core.models import Region
from core.registry import collect
from discovery.models import Grid, GridMembership, GridWorkerTerm, LedgerRecord, Situation, Visit

MAX_NOTE = 2000


def _may(actor, action: str, obj=None, refuse: str = "") -> None:
    if not can(actor, action):
        raise ValidationError(refuse or "您的角色无权进行此操作")
    if obj is not None and not reaches(actor, action, obj):
        raise ValidationError("该记录不在您的管辖范围内")


def _in_reach(actor, region_code: str) -> None:
    if actor.region.level != Region.Level.CITY and not region_code.startswith(actor.region_id):
        raise ValidationError("该村（社区）不在您的管辖范围内")


def _text(value, label: str, *, required: bool = True, limit: int = MAX_NOTE) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"请填写{label}")
    if len(value) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字")
    return value


def _phone(raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        return pii.normalize_phone(raw)
    except ValidationError:
        raise ValidationError({"worker_phone": "网格员电话格式不正确（11位手机号或带区号的固定电话）"}) from None


def _worker(worker: User | None, worker_name: str, village: Region) -> tuple[User | None, str]:
    if worker is not None:
        if not worker.region_id or not village.code.startswith(worker.region_id):
            raise ValidationError({"worker": "网格员须为本村（社区）或所属乡镇的工作人员"})
        return worker, (worker_name or "").strip() or str(worker)
    name = _text(worker_name, "网格员姓名", limit=50)
    return None, name


def grid_create(*, actor, village: Region, name: str, worker: User | None = None, worker_name: str = "",
                worker_phone: str = "", note: str = "") -> Grid:
    _may(actor, Action.DISCOVERY_LEDGER)
    if village.level != Region.Level.VILLAGE:
        raise ValidationError({"village": "网格须划在村（社区）内"})
    _in_reach(actor, village.code)
    worker, worker_name = _worker(worker, worker_name, village)
    grid = Grid(name=_text(name, "网格名称", limit=50), worker=worker, worker_name=worker_name,
                worker_phone=_phone(worker_phone), note=_text(note, "范围说明", required=False, limit=200))
    grid.place_from_village(village)
    try:
        with transaction.atomic():
            grid.save()
            GridWorkerTerm.objects.create(grid=grid, worker=worker, worker_name=worker_name,
                                          worker_phone=grid.worker_phone, started_on=timezone.localdate(),
                                          reason="设立网格", changed_by=actor)
            audit.record(actor=actor, action="grid.create", obj=grid, after=audit.snapshot(grid))
    except IntegrityError:
        raise ValidationError({"name": f"{village.short_name}已有名为“{grid.name}”的网格"}) from None
    return grid


def grid_change_worker(*, actor, grid: Grid, worker: User | None = None, worker_name: str = "",
                       worker_phone: str = "", reason: str) -> Grid:
    """Reassign the grid to another worker; the previous term is ended, never overwritten."""
    _may(actor, Action.DISCOVERY_LEDGER, grid)
    reason = _text(reason, "调整原因", limit=200)
    worker, worker_name = _worker(worker, worker_name, grid.village)
    today = timezone.localdate()
    with transaction.atomic():
        grid = Grid.objects.select_for_update().get(pk=grid.pk)
        before = audit.snapshot(grid, ["worker", "worker_name", "worker_phone"])
        GridWorkerTerm.objects.filter(grid=grid, ended_on__isnull=True).update(ended_on=today)
        grid.worker, grid.worker_name, grid.worker_phone = worker, worker_name, _phone(worker_phone)
        grid.save(update_fields=["worker", "worker_name", "worker_phone"])
        GridWorkerTerm.objects.create(grid=grid, worker=worker, worker_name=worker_name,
                                      worker_phone=grid.worker_phone, started_on=today, reason=reason,
                                      changed_by=actor)
        b, a = audit.diff(before, audit.snapshot(grid, ["worker", "worker_name", "worker_phone"]))
        audit.record(actor=actor, action="grid.change_worker", obj=grid, before=b, after=a, reason=reason)
    return grid


def household_assign(*, actor, household: Household, grid: Grid) -> GridMembership:
    """Put a household into a grid of its village (moving it ends the previous membership)."""
    _may(actor, Action.DISCOVERY_LEDGER, grid)
    if household.village_id != grid.village_id:
        raise ValidationError({"grid": "只能划入本村（社区）的网格"})
    today = timezone.localdate()
    with transaction.atomic():
        Household.objects.select_for_update().filter(pk=household.pk).first()
        current = GridMembership.objects.filter(household=household, ended_on__isnull=True).first()
        if current is not None and current.grid_id == grid.pk:
            return current
        if current is not None:
            current.ended_on = today
            current.save(update_fields=["ended_on"])
        m = GridMembership(household=household, grid=grid, started_on=today, assigned_by=actor)
        m.place_from_village(grid.village)
        m.save()
        audit.record(actor=actor, action="grid.assign_household", obj=household,
                     before={"grid": current.grid_id} if current else None, after={"grid": grid.pk})
    return m


MAX_PHOTOS = 5


def photos_check(photos: list[tuple[str, bytes]]) -> None:
    """Visit photos are attachments (SM4-sealed, type from content, size bounded by the attachments param)."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": f"每次走访最多上传{MAX_PHOTOS}张照片"})
    for name, data in photos:
        try:
            attachment_services.validate_file(data)
        except ValidationError as exc:
            raise ValidationError({"photos": f"照片“{name[:40]}”：{'；'.join(exc.messages)}"}) from None


def visit_record(*, actor, household: Household, visited_on: dt.date, seen: str, situations: list[str] | None = None,
                 note: str = "", follow_up: bool = False, photos: list[tuple[str, bytes]] | None = None) -> Visit:
    """A visit. Any situation ticked (or `follow_up`) opens a ledger record (source: visit) for the village.
    `photos` = [(file name, bytes)], stored as attachments of the visit (all or nothing with the visit)."""
    _may(actor, Action.DISCOVERY_VISIT, refuse="您的角色不能登记巡查走访")
    if not reaches(actor, Action.CASE_VIEW, household):
        raise ValidationError("该家庭不在您的管辖范围内")
    today = timezone.localdate()
    if visited_on is None:
        raise ValidationError({"visited_on": "请填写走访日期"})
    if visited_on > today:
        raise ValidationError({"visited_on": "走访日期不能晚于今天"})
    if visited_on < today - dt.timedelta(days=90):
        raise ValidationError({"visited_on": "只能补登90天内的走访"})
    situations = list(dict.fromkeys(situations or []))
    unknown = [s for s in situations if s not in Situation.values]
    if unknown:
        raise ValidationError({"situations": "未知的走访情况选项"})
    note = _text(note, "走访情况", required=bool(situations or follow_up))
    photos = list(photos or [])
    photos_check(photos)
    membership = GridMembership.objects.filter(household=household, ended_on__isnull=True).first()
    visit = Visit(household=household, grid_id=membership.grid_id if membership else None, visited_on=visited_on,
                  visitor=actor, seen=_text(seen, "见到的人", limit=100), situations=situations, note=note,
                  county_id=household.county_id, township_id=household.township_id, village_id=household.village_id)
    with transaction.atomic():
        visit.save()
        audit.record(actor=actor, action="visit.record", obj=visit, after=audit.snapshot(visit))
        for name, data in photos:
            attachment_services.attach(actor=actor, owner=visit, data=data, filename=name,
                                       doc_type="visit_photo", title="走访照片")
        if situations or follow_up:
            labels = "、".join(Situation(s).label for s in situations) or "需跟进"
            _record_save(actor, LedgerRecord(
                household=household, subject_name=household.head_name, source=LedgerRecord.Source.VISIT,
                source_ref=f"discovery.visit:{visit.pk}", visit=visit, found_on=visited_on,
                need=f"走访发现：{labels}。{note}"[:MAX_NOTE], assistance=suggested_help(situations),
                county_id=household.county_id, township_id=household.township_id,
                village_id=household.village_id))
    return visit


HELP_BY_SITUATION = {
    Situation.ILLNESS: ["dibao", "temporary_aid", "medical"],
    Situation.DISABILITY: ["dibao", "tekun"],
    Situation.JOB_LOSS: ["dibao", "temporary_aid", "employment"],
    Situation.DISASTER: ["temporary_aid", "housing"],
    Situation.ELDERLY_ALONE: ["tekun", "dibao"],
    Situation.CHILD_NO_CARE: ["tekun", "education"],
    Situation.HOUSING: ["housing"],
    Situation.SCHOOL: ["education"],
    Situation.OTHER: ["dibao"],
}


def suggested_help(situations: list[str]) -> list[str]:
    out: list[str] = []
    for s in situations:
        out += [h for h in HELP_BY_SITUATION.get(s, []) if h not in out]
    return out


def _due(found_on: dt.date) -> dt.date:
    return workdays.add_workdays(max(found_on, timezone.localdate()),
                                 params.get("discovery.ledger_due_workdays", found_on))


def _record_save(actor, record: LedgerRecord) -> LedgerRecord:
    record.due_date = record.due_date or _due(record.found_on)
    if getattr(actor, "is_authenticated", False):
        record.created_by = actor
        record.follow_up_by = record.follow_up_by or (actor if can(actor, Action.DISCOVERY_LEDGER) else None)
    record.save()
    audit.record(actor=actor, action="ledger.create", obj=record, after=audit.snapshot(record))
    return record


def record_create(*, actor, source: str, need: str, household: Household | None = None, village: Region | None = None,
                  subject_name: str = "", found_on: dt.date | None = None, assistance: list[str] | None = None,
                  follow_up_by: User | None = None, due_date: dt.date | None = None) -> LedgerRecord:
    _may(actor, Action.DISCOVERY_LEDGER, refuse="只有村（社区）专干和乡镇经办人可以登记工作台账")
    if source not in LedgerRecord.Source.values or source == LedgerRecord.Source.DEPARTMENT:
        raise ValidationError({"source": "请选择发现途径（部门数据比对线索由系统自动转入）"})
    if household is not None:
        if not reaches(actor, Action.CASE_VIEW, household):
            raise ValidationError("该家庭不在您的管辖范围内")
        village = household.village
        subject_name = household.head_name
    if village is None or village.level != Region.Level.VILLAGE:
        raise ValidationError({"village": "请选择家庭或所在村（社区）"})
    _in_reach(actor, village.code)
    found_on = found_on or timezone.localdate()
    if found_on > timezone.localdate():
        raise ValidationError({"found_on": "发现日期不能晚于今天"})
    if due_date is not None and due_date < found_on:
        raise ValidationError({"due_date": "跟进期限不能早于发现日期"})
    if follow_up_by is not None and not village.code.startswith(follow_up_by.region_id or "-"):
        raise ValidationError({"follow_up_by": "跟进人须为本村（社区）或所属乡镇的工作人员"})
    record = LedgerRecord(household=household, subject_name=_text(subject_name, "对象姓名", limit=100), source=source,
                          found_on=found_on, need=_text(need, "发现的困难"), assistance=list(assistance or []),
                          follow_up_by=follow_up_by, due_date=due_date)
    record.place_from_village(village)
    with transaction.atomic():
        return _record_save(actor, record)


def record_close(*, actor, record: LedgerRecord, outcome: str, note: str = "", application=None) -> LedgerRecord:
    _may(actor, Action.DISCOVERY_LEDGER, record, refuse="只有村（社区）专干和乡镇经办人可以办结台账记录")
    if outcome not in LedgerRecord.Outcome.values or not outcome:
        raise ValidationError({"outcome": "请选择处理结果（没有处理结果的记录不能办结）"})
    note = (note or "").strip()
    if outcome in (LedgerRecord.Outcome.NOT_ELIGIBLE, LedgerRecord.Outcome.EXIT_PROPOSED,
                   LedgerRecord.Outcome.REFERRED_DEPARTMENT, LedgerRecord.Outcome.REFERRED_CHARITY) and not note:
        raise ValidationError({"note": f"“{LedgerRecord.Outcome(outcome).label}”须写明理由或转介去向"})
    if outcome == LedgerRecord.Outcome.APPLICATION and application is None:
        raise ValidationError({"outcome": "“已代办/受理救助申请”请通过“一件事筛查”开启申请"})
    with transaction.atomic():
        locked = LedgerRecord.objects.select_for_update().get(pk=record.pk)
        if locked.status != LedgerRecord.Status.OPEN:
            raise ValidationError("该记录已办结")
        locked.status, locked.outcome, locked.outcome_note = LedgerRecord.Status.CLOSED, outcome, note[:MAX_NOTE]
        locked.application = application
        locked.closed_by, locked.closed_at = actor, timezone.now()
        locked.save(update_fields=["status", "outcome", "outcome_note", "application", "closed_by", "closed_at"])
        audit.record(actor=actor, action="ledger.close", obj=locked, reason=note,
                     after={"outcome": outcome, "application": application.pk if application else None})
    record.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def ledger_pull() -> int:
    """Bring every app's discovery leads into the ledger (idempotent: one record per source_ref).

    A feed is `fn() -> iterable of dict(ref, village, household_id, subject_name, need, found_on, assistance)`
    listed in `<app>/ledger_feed.py: FEEDS`."""
    created = 0
    for feeds in collect("ledger_feed", "FEEDS"):
        for feed in feeds:
            rows = list(feed())
            known = set(LedgerRecord.objects.filter(source_ref__in=[r["ref"] for r in rows])
                        .values_list("source_ref", flat=True))
            for r in rows:
                if r["ref"] in known or not r.get("village") or len(r["village"]) != 12:
                    continue
                record = LedgerRecord(household_id=r.get("household_id"), subject_name=r["subject_name"][:100],
                                      source=LedgerRecord.Source.DEPARTMENT, source_ref=r["ref"][:60],
                                      found_on=r.get("found_on") or timezone.localdate(), need=r["need"][:MAX_NOTE],
                                      assistance=list(r.get("assistance") or []),
                                      county_id=r["village"][:6], township_id=r["village"][:9],
                                      village_id=r["village"])
                try:
                    with transaction.atomic():
                        _record_save(None, record)
                except IntegrityError:
                    continue  # pulled at the same time by another worker
                created += 1
    return created
