"""xlsx downloads of the other apps' list pages (issue #20 item 4), with the same filters as the page: each list's
own selector (so the same scope), columns as core.indicators.Column, written by core.xlsx (streamed, text cells,
filters in the header, audited). A list page links here with its query string: `reports:list_export <key>`."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from accounts.scope import Action
from audit import selectors as audit_selectors
from cases.dibao import selectors as dibao_selectors
from cases.households import selectors as household_selectors
from core import idnumbers
from core.indicators import Column
from monitoring import selectors as monitoring_selectors


@dataclass(frozen=True)
class ListExport:
    title: str
    actions: tuple
    rows: Callable  # (user, GET) -> queryset in the user's scope
    columns: tuple
    filters: tuple  # (GET key, label)


def _households(user, g):
    q = g.get("q", "")
    if idnumbers.normalize_for_lookup(q):
        q = ""  # a full ID number never travels in a URL (the list page searches it by POST)
    return household_selectors.household_list(user=user, q=q, hukou_type=g.get("hukou_type", "")).order_by("-pk")


def _applications(user, g):
    return dibao_selectors.application_list(user=user, status=g.get("status", ""), kind=g.get("kind", ""),
                                            q=g.get("q", ""), deadline=g.get("deadline", ""))


def _clues(user, g):
    return monitoring_selectors.clue_list(user=user, status=g.get("status", "open"), kind=g.get("kind", ""),
                                          township=g.get("township", ""), overdue=g.get("overdue") == "1")


def _complaints(user, g):
    return audit_selectors.complaint_list(user=user, status=g.get("status", ""), only_overdue=g.get("overdue") == "1",
                                          only_repeat=g.get("repeat") == "1")


EXPORTS = {
    "households": ListExport("家庭档案", (Action.CASE_VIEW,), _households, (
        Column("户主", lambda h: h.head_name), Column("户籍", lambda h: h.get_hukou_type_display()),
        Column("乡镇（街道）", lambda h: h.township.name), Column("村（社区）", lambda h: h.village.short_name),
        Column("家庭住址", lambda h: h.address), Column("成员数", lambda h: h.member_count or 0),
        Column("联系电话", lambda h: h.phone_masked), Column("登记时间", lambda h: h.created_at)),
        (("q", "查询"), ("hukou_type", "户籍"))),
    "applications": ListExport("救助申请", (Action.CASE_VIEW,), _applications, (
        Column("编号", lambda a: a.number), Column("户主", lambda a: a.household.head_name),
        Column("类别", lambda a: a.get_kind_display()), Column("状态", lambda a: a.get_status_display()),
        Column("办理乡镇", lambda a: a.handling_township.name), Column("受理日期", lambda a: a.accepted_on),
        Column("办结期限", lambda a: a.deadline), Column("确认日期", lambda a: a.decided_on or "")),
        (("status", "状态"), ("kind", "类别"), ("q", "查询"), ("deadline", "期限"))),
    "clues": ListExport("疑点线索", (Action.CASE_VIEW, Action.SUPERVISION_VIEW), _clues, (
        Column("线索", lambda c: c.get_kind_display()), Column("姓名", lambda c: c.display_name),
        Column("身份证号", lambda c: c.display_id_masked, person=lambda c: c.person),
        Column("乡镇（街道）", lambda c: c.township.name), Column("村（社区）", lambda c: c.village.short_name),
        Column("内容", lambda c: c.summary), Column("核查期限", lambda c: c.due_date),
        Column("状态", lambda c: c.get_status_display()), Column("核查情况", lambda c: c.finding)),
        (("status", "状态"), ("kind", "类别"), ("township", "乡镇"), ("overdue", "仅逾期"))),
    "complaints": ListExport("信访投诉台账", (Action.COMPLAINT_HANDLE, Action.SUPERVISION_VIEW), _complaints, (
        Column("编号", lambda c: c.number), Column("来源", lambda c: c.get_source_display()),
        Column("受理日期", lambda c: c.received_on), Column("信访人", lambda c: c.complainant_name),
        Column("联系电话", lambda c: c.phone_masked), Column("类别", lambda c: c.get_category_display()),
        Column("事项摘要", lambda c: c.summary), Column("承办乡镇", lambda c: c.township.name if c.township_id else "县级"),
        Column("办理期限", lambda c: c.due_on), Column("状态", lambda c: c.get_status_display()),
        Column("重复信访", lambda c: c.is_repeat)),
        (("status", "状态"), ("overdue", "仅逾期"), ("repeat", "仅重复信访"))),
}


def page_url(key: str) -> str:
    return reverse("reports:list_export", args=[key])
