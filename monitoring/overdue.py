"""Monitoring's section of the overdue board (core.overdue): open data-comparison clues past their deadline."""
from __future__ import annotations

from django.urls import reverse

from core.overdue import LIST_LIMIT, Item, Provider, Request, Section
from monitoring.models import Clue
from monitoring.selectors import clue_action


def clues(r: Request) -> Section | None:
    action = clue_action(r.user)
    if not action:
        return None
    rows = Clue.objects.restrict(r.user, action).filter(status=Clue.Status.OPEN, due_date__lte=r.horizon)
    s = Section("clues", "数据比对疑点线索核查", reverse("monitoring:clue_list") + "?status=open")
    r.count(s, rows, "due_date", r.place_field("township_id", "county_id"))
    for c in rows.select_related("household").order_by("due_date", "id")[:LIST_LIMIT]:
        s.items.append(Item(r.place_of(c.county_id, c.township_id), f"{c.get_kind_display()}线索：{c.summary}",
                            c.household.head_name if c.household_id else f"{c.subject_name}（未登记）",
                            c.due_date, r.state(c.due_date),
                            reverse("monitoring:clue_detail", args=[c.pk]), c.township_id))
    return s


SECTIONS = [Provider(50, clues)]
