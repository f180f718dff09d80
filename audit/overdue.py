"""Supervision's sections of the overdue board (core.overdue): township answers to spot-check findings and
complaints past their time limit."""
from __future__ import annotations

from django.urls import reverse

from accounts.scope import Action, can
from audit.models import Complaint, SpotCheckItem
from audit.selectors import complaint_action
from core.overdue import LIST_LIMIT, Item, Provider, Request, Section


def spotchecks(r: Request) -> Section | None:
    action = Action.SPOTCHECK_ANSWER if can(r.user, Action.SPOTCHECK_ANSWER) else Action.SUPERVISION_VIEW
    if not can(r.user, action):
        return None
    items = SpotCheckItem.objects.restrict(r.user, action).filter(
        finding__in=[SpotCheckItem.Finding.WRONG, SpotCheckItem.Finding.REINVESTIGATE], township_answer="",
        answer_due__lte=r.horizon)
    s = Section("spotchecks", "抽查问题乡镇答复",
                reverse("audit:spotcheck_answers" if action == Action.SPOTCHECK_ANSWER else "audit:spotcheck_list"))
    r.count(s, items, "answer_due", r.place_field("township_id", "county_id"))
    for i in items.select_related("application__household", "spot_check").order_by("answer_due", "id")[:LIST_LIMIT]:
        s.items.append(Item(r.place_of(i.county_id, i.township_id),
                            f"{i.spot_check.month:%Y年%-m月}抽查：{i.get_finding_display()}",
                            i.application.household.head_name, i.answer_due, r.state(i.answer_due),
                            reverse("audit:spotcheck_item", args=[i.pk]), i.township_id))
    return s


def complaints(r: Request) -> Section | None:
    action = complaint_action(r.user)
    if not can(r.user, action):
        return None
    rows = Complaint.objects.restrict(r.user, action).exclude(
        status__in=[Complaint.Status.CLOSED, Complaint.Status.TRANSFERRED]).filter(due_on__lte=r.horizon)
    s = Section("complaints", "信访投诉办理", reverse("audit:complaints") + "?status=open")
    r.count(s, rows, "due_on", r.place_field("township_id", "county_id"))
    for c in rows.order_by("due_on", "id")[:LIST_LIMIT]:
        s.items.append(Item(r.place_of(c.county_id, c.township_id), f"{c.number} {c.summary}",
                            c.complainant_name, c.due_on, r.state(c.due_on),
                            reverse("audit:complaint_detail", args=[c.pk]), c.township_id or ""))
    return s


SECTIONS = [Provider(60, spotchecks), Provider(70, complaints)]
