"""The cases floor's sections of the overdue board (core.overdue): applications past their statutory time
limit, undelivered written notices, 先行救助 paperwork and periodic re-checks."""
from __future__ import annotations

from django.urls import reverse

from accounts.scope import Action, can
from cases.dibao.selectors import application_list
from cases.models import Notice, Recheck, TemporaryAid
from core.overdue import LIST_LIMIT, Item, Provider, Request, Section


def applications(r: Request) -> Section | None:
    """The statutory processing time limit (§2), by the township that handles the application."""
    if not can(r.user, Action.CASE_VIEW):
        return None
    apps = application_list(user=r.user, status="open").filter(deadline__lte=r.horizon)
    s = Section("applications", "救助申请办结期限", reverse("cases:deadlines"))
    r.count(s, apps, "deadline", r.place_field("handling_township_id", "handling_county_id"))
    for a in apps.order_by("deadline", "id")[:LIST_LIMIT]:
        s.items.append(Item(r.place_of(a.handling_county_id, a.handling_township_id),
                            f"{a.get_kind_display()}申请（{a.get_status_display()}）", a.household.head_name,
                            a.deadline, r.state(a.deadline),
                            reverse("cases:application_detail", args=[a.pk]), a.handling_township_id))
    return s


def notices(r: Request) -> Section | None:
    if not can(r.user, Action.CASE_VIEW):
        return None
    rows = Notice.objects.restrict(r.user, Action.CASE_VIEW).filter(delivered_on__isnull=True,
                                                                    due_by__lte=r.horizon)
    s = Section("notices", "书面通知送达", reverse("cases:deadlines"))
    r.count(s, rows, "due_by", r.place_field("township_id", "county_id"))
    for n in rows.select_related("household").order_by("due_by", "id")[:LIST_LIMIT]:
        s.items.append(Item(r.place_of(n.county_id, n.township_id), f"{n.get_kind_display()}未送达",
                            n.household.head_name, n.due_by, r.state(n.due_by),
                            reverse("cases:notice_detail", args=[n.pk]), n.township_id))
    return s


def temporary_aid(r: Request) -> Section | None:
    if not can(r.user, Action.CASE_VIEW):
        return None
    aids = TemporaryAid.objects.restrict(r.user, Action.CASE_VIEW).filter(
        status=TemporaryAid.Status.PAID_PENDING_PAPERWORK, paperwork_due__lte=r.horizon)
    s = Section("temporary_aid", "先行救助补充说明", reverse("cases:aid_list"))
    r.count(s, aids, "paperwork_due", r.place_field("handling_township_id", "county_id"))
    for a in aids.select_related("household").order_by("paperwork_due", "id")[:LIST_LIMIT]:
        s.items.append(Item(r.place_of(a.county_id, a.handling_township_id),
                            f"{a.get_aid_type_display()}临时救助 {a.amount}元 待补充说明", a.household.head_name,
                            a.paperwork_due, r.state(a.paperwork_due),
                            reverse("cases:aid_detail", args=[a.pk]), a.handling_township_id))
    return s


def rechecks(r: Request) -> Section | None:
    if not can(r.user, Action.CASE_VIEW):
        return None
    rows = Recheck.objects.restrict(r.user, Action.CASE_VIEW).filter(outcome="", due_on__lte=r.horizon)
    s = Section("rechecks", "定期复核", reverse("cases:recheck_list"))
    r.count(s, rows, "due_on", r.place_field("township_id", "county_id"))
    for c in rows.select_related("household", "entitlement").order_by("due_on", "id")[:LIST_LIMIT]:
        s.items.append(Item(r.place_of(c.county_id, c.township_id),
                            f"{c.entitlement.get_category_display()}复核（{c.month:%Y年%-m月}）",
                            c.household.head_name, c.due_on, r.state(c.due_on),
                            reverse("cases:recheck_do", args=[c.pk]), c.township_id))
    return s


SECTIONS = [Provider(10, applications), Provider(20, notices), Provider(30, temporary_aid),
            Provider(40, rechecks)]
