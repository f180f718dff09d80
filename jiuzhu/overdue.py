"""Top floor: the overdue board (issue #8 item 4) reads every app's time limits.

Everything time-limited that is overdue or nearly due in the user's own region: applications, undelivered
notices, open data clues, 先行救助 paperwork, spot-check answers, complaints, re-checks and the payment
cycle's deadlines. Every read goes through `.restrict(user, action)`; the number of queries is fixed
(one count query and one list query per section) whatever the number of rows.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from core.models import Region
from accounts.scope import Action, can
from core import params, workdays

LIST_LIMIT = 30  # rows shown per section; the section links to its own full list
COUNTY_LEVEL = "county"  # grouping key for rows handled by the county itself (no township)


@dataclass
class Item:
    place: str  # township code (county users), county code (city users), or COUNTY_LEVEL
    what: str
    who: str
    due: dt.date
    state: str  # overdue / near
    url: str
    township: str = ""
    place_name: str = ""

    @property
    def days_over(self) -> int:
        return (timezone.localdate() - self.due).days


@dataclass
class Section:
    key: str
    label: str
    list_url: str
    items: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # place -> {"overdue": n, "near": n}

    @property
    def overdue(self) -> int:
        return sum(c["overdue"] for c in self.counts.values())

    @property
    def near(self) -> int:
        return sum(c["near"] for c in self.counts.values())

    @property
    def shown_all(self) -> bool:
        return len(self.items) >= self.overdue + self.near


def _by_city(user) -> bool:
    return user.region.level == Region.Level.CITY


def _counted(section: Section, qs, due_field: str, place_field: str, today: dt.date) -> None:
    rows = (qs.order_by().values(place_field)
            .annotate(overdue=Count("pk", filter=Q(**{f"{due_field}__lt": today})),
                      near=Count("pk", filter=Q(**{f"{due_field}__gte": today}))))
    for r in rows:
        place = r[place_field] or COUNTY_LEVEL
        c = section.counts.setdefault(place, {"overdue": 0, "near": 0})
        c["overdue"] += r["overdue"]
        c["near"] += r["near"]


def _state(due: dt.date, today: dt.date) -> str:
    return "overdue" if due < today else "near"


def board(*, user, today: dt.date | None = None) -> dict:
    from cases.dibao import selectors as case_selectors
    from cases.models import Notice, Recheck, TemporaryAid

    today = today or timezone.localdate()
    horizon = workdays.add_workdays(today, params.get("dibao.nearly_due_workdays", today))
    city = _by_city(user)
    sections: list[Section] = []

    def place_of(county_id, township_id):
        return county_id if city else (township_id or COUNTY_LEVEL)

    # place fields to group by (township for county/township users, county for the city)
    def pf(township_field: str, county_field: str) -> str:
        return county_field if city else township_field

    if can(user, Action.CASE_VIEW):
        # applications: the statutory processing time limit (§2), by the township that handles them
        apps = case_selectors.application_list(user=user, status="open").filter(deadline__lte=horizon)
        s = Section("applications", "救助申请办结期限", reverse("cases:deadlines"))
        _counted(s, apps, "deadline", pf("handling_township_id", "handling_county_id"), today)
        for a in apps.order_by("deadline", "id")[:LIST_LIMIT]:
            s.items.append(Item(place_of(a.handling_county_id, a.handling_township_id),
                                f"{a.get_kind_display()}申请（{a.get_status_display()}）", a.household.head_name,
                                a.deadline, _state(a.deadline, today),
                                reverse("cases:application_detail", args=[a.pk]), a.handling_township_id))
        sections.append(s)

        notices = Notice.objects.restrict(user, Action.CASE_VIEW).filter(delivered_on__isnull=True,
                                                                         due_by__lte=horizon)
        s = Section("notices", "书面通知送达", reverse("cases:deadlines"))
        _counted(s, notices, "due_by", pf("township_id", "county_id"), today)
        for n in notices.select_related("household").order_by("due_by", "id")[:LIST_LIMIT]:
            s.items.append(Item(place_of(n.county_id, n.township_id), f"{n.get_kind_display()}未送达",
                                n.household.head_name, n.due_by, _state(n.due_by, today),
                                reverse("cases:notice_detail", args=[n.pk]), n.township_id))
        sections.append(s)

        aids = TemporaryAid.objects.restrict(user, Action.CASE_VIEW).filter(
            status=TemporaryAid.Status.PAID_PENDING_PAPERWORK, paperwork_due__lte=horizon)
        s = Section("temporary_aid", "先行救助补充说明", reverse("cases:aid_list"))
        _counted(s, aids, "paperwork_due", pf("handling_township_id", "county_id"), today)
        for a in aids.select_related("household").order_by("paperwork_due", "id")[:LIST_LIMIT]:
            s.items.append(Item(place_of(a.county_id, a.handling_township_id),
                                f"{a.get_aid_type_display()}临时救助 {a.amount}元 待补充说明", a.household.head_name,
                                a.paperwork_due, _state(a.paperwork_due, today),
                                reverse("cases:aid_detail", args=[a.pk]), a.handling_township_id))
        sections.append(s)

        rechecks = Recheck.objects.restrict(user, Action.CASE_VIEW).filter(outcome="", due_on__lte=horizon)
        s = Section("rechecks", "定期复核", reverse("cases:recheck_list"))
        _counted(s, rechecks, "due_on", pf("township_id", "county_id"), today)
        for r in rechecks.select_related("household", "entitlement").order_by("due_on", "id")[:LIST_LIMIT]:
            s.items.append(Item(place_of(r.county_id, r.township_id),
                                f"{r.entitlement.get_category_display()}复核（{r.month:%Y年%-m月}）",
                                r.household.head_name, r.due_on, _state(r.due_on, today),
                                reverse("cases:recheck_do", args=[r.pk]), r.township_id))
        sections.append(s)

    from monitoring.models import Clue
    from monitoring.selectors import clue_action

    if action := clue_action(user):
        clues = Clue.objects.restrict(user, action).filter(status=Clue.Status.OPEN, due_date__lte=horizon)
        s = Section("clues", "数据比对疑点线索核查", reverse("monitoring:clue_list") + "?status=open")
        _counted(s, clues, "due_date", pf("township_id", "county_id"), today)
        for c in clues.select_related("household").order_by("due_date", "id")[:LIST_LIMIT]:
            s.items.append(Item(place_of(c.county_id, c.township_id), f"{c.get_kind_display()}线索：{c.summary}",
                                c.household.head_name if c.household_id else f"{c.subject_name}（未登记）",
                                c.due_date, _state(c.due_date, today),
                                reverse("monitoring:clue_detail", args=[c.pk]), c.township_id))
        sections.append(s)

    from audit.models import Complaint, SpotCheckItem
    from audit.selectors import complaint_action

    spot_action = Action.SPOTCHECK_ANSWER if can(user, Action.SPOTCHECK_ANSWER) else Action.SUPERVISION_VIEW
    if can(user, spot_action):
        items = SpotCheckItem.objects.restrict(user, spot_action).filter(
            finding__in=[SpotCheckItem.Finding.WRONG, SpotCheckItem.Finding.REINVESTIGATE], township_answer="",
            answer_due__lte=horizon)
        s = Section("spotchecks", "抽查问题乡镇答复",
                    reverse("audit:spotcheck_answers" if spot_action == Action.SPOTCHECK_ANSWER
                            else "audit:spotcheck_list"))
        _counted(s, items, "answer_due", pf("township_id", "county_id"), today)
        for i in items.select_related("application__household", "spot_check").order_by("answer_due", "id")[:LIST_LIMIT]:
            s.items.append(Item(place_of(i.county_id, i.township_id),
                                f"{i.spot_check.month:%Y年%-m月}抽查：{i.get_finding_display()}",
                                i.application.household.head_name, i.answer_due, _state(i.answer_due, today),
                                reverse("audit:spotcheck_item", args=[i.pk]), i.township_id))
        sections.append(s)

    c_action = complaint_action(user)
    if can(user, c_action):
        complaints = Complaint.objects.restrict(user, c_action).exclude(
            status__in=[Complaint.Status.CLOSED, Complaint.Status.TRANSFERRED]).filter(due_on__lte=horizon)
        s = Section("complaints", "信访投诉办理", reverse("audit:complaints") + "?status=open")
        _counted(s, complaints, "due_on", pf("township_id", "county_id"), today)
        for c in complaints.order_by("due_on", "id")[:LIST_LIMIT]:
            s.items.append(Item(place_of(c.county_id, c.township_id), f"{c.number} {c.summary}",
                                c.complainant_name, c.due_on, _state(c.due_on, today),
                                reverse("audit:complaint_detail", args=[c.pk]), c.township_id or ""))
        sections.append(s)

    if can(user, Action.PAYMENT_VIEW):
        from funds import selectors as funds_selectors

        report = funds_selectors.deadline_report(user=user, month=today.replace(day=1))
        s = Section("payments", "资金发放时限", reverse("funds:deadline_report"))
        for row in report["rows"]:
            for st in row["states"]:
                if st.state not in ("overdue", "pending") or st.due > horizon:
                    continue
                place = row["county"].code if city else COUNTY_LEVEL
                c = s.counts.setdefault(place, {"overdue": 0, "near": 0})
                c["overdue" if st.state == "overdue" else "near"] += 1
                s.items.append(Item(place, f"{today:%Y年%-m月}发放：{st.step.label}", row["county"].name, st.due,
                                    "overdue" if st.state == "overdue" else "near",
                                    reverse("funds:batch_detail", args=[row["batch"].pk]) if row["batch"]
                                    else reverse("funds:batch_list")))
        s.items.sort(key=lambda i: i.due)
        sections.append(s)

    places = _places(user, sections)
    names = {p["code"]: p["name"] for p in places}
    for s in sections:
        for i in s.items:
            i.place_name = names.get(i.place, i.place)
    return {"sections": sections, "clear_sections": [s for s in sections if not s.items], "places": places,
            "show_place": user.region.level != Region.Level.TOWNSHIP, "today": today, "horizon": horizon, "by_city": city}


def _places(user, sections: list[Section]) -> list[dict]:
    """One row per township (county/township users) or county (city users): counts per section."""
    from cases.households.selectors import region_names

    names = region_names()
    codes = set()
    for s in sections:
        codes.update(s.counts)
    if user.region.level == Region.Level.TOWNSHIP:
        codes.add(user.region_id)
    out = []
    for code in sorted(codes, key=lambda c: (c == COUNTY_LEVEL, c)):
        cells = [s.counts.get(code, {"overdue": 0, "near": 0}) for s in sections]
        out.append({"code": code, "name": "县（市、区）本级" if code == COUNTY_LEVEL else names.get(code, code),
                    "cells": cells, "overdue": sum(c["overdue"] for c in cells),
                    "near": sum(c["near"] for c in cells)})
    return out
