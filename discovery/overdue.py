"""Discovery's section of the overdue board (core.overdue): open ledger records (工作台账) past their due date."""
from __future__ import annotations

from django.urls import reverse

from accounts.scope import Action, can
from core.overdue import LIST_LIMIT, Item, Provider, Request, Section
from discovery.models import LedgerRecord


def ledger(r: Request) -> Section | None:
    if not can(r.user, Action.CASE_VIEW):
        return None
    rows = LedgerRecord.objects.restrict(r.user, Action.CASE_VIEW).filter(status=LedgerRecord.Status.OPEN,
                                                                           due_date__lte=r.horizon)
    s = Section("discovery_ledger", "工作台账跟进", reverse("discovery:ledger_list") + "?status=open")
    r.count(s, rows, "due_date", r.place_field("township_id", "county_id"))
    for rec in rows.select_related("village").order_by("due_date", "id")[:LIST_LIMIT]:
        s.items.append(Item(r.place_of(rec.county_id, rec.township_id),
                            f"{rec.get_source_display()}：{rec.need[:40]}", rec.subject_name, rec.due_date,
                            r.state(rec.due_date), reverse("discovery:record_detail", args=[rec.pk]),
                            rec.township_id))
    return s


SECTIONS = [Provider(55, ledger)]
