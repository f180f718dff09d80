"""xlsx downloads of the other apps' list pages (issue #20 item 4), with the same filters as the page: each list's
own selector (so the same scope), columns as core.indicators.Column, written by core.xlsx (streamed, text cells,
filters in the header, audited). A list page links here with its query string: `reports:list_export <key>`."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from accounts.scope import Action
from audit import selectors as audit_selectors
from audit import services as audit_services
from audit import spotchecks as audit_spotchecks
from cases.dibao import selectors as dibao_selectors
from cases.households import selectors as household_selectors
from cases.households.selectors import region_names
from cases.tekun import selectors as tekun_selectors
from cases.temporary_aid import selectors as temporary_aid_selectors
from core import idnumbers, overdue, params, workdays
from core.indicators import Column
from core.models import Region
from core.registry import collect
from discovery import selectors as discovery_selectors
from funds import selectors as funds_selectors
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


def _ledger(user, g):
    return discovery_selectors.ledger_list(user=user, status=g.get("status", ""), source=g.get("source", ""),
                                           village=g.get("village", ""), overdue=g.get("overdue") == "1",
                                           q=g.get("q", ""))


def _rechecks(user, g):
    month = _month(g.get("month", ""))  # no month named: every month in scope
    return dibao_selectors.recheck_list(user=user, month=month)


def _tekun(user, g):
    return tekun_selectors.profiles(user=user, flt=g.get("f", ""))


def _aid(user, g):
    return temporary_aid_selectors.aid_list(user=user, flt=g.get("f", ""))


def _month(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "") + "-01")
    except ValueError:
        return None


def _batches(user, g):
    return funds_selectors.batch_list(user=user, month=_month(g.get("month", "")), status=g.get("status", ""))


def _spotchecks(user, g):
    return audit_spotchecks.spotcheck_list(user=user).order_by("-month", "county_id")


def _relatives(user, g):
    return audit_selectors.staff_list(user=user, q=(g.get("q", "") or "").strip())


@dataclass(frozen=True)
class OverdueRow:
    section: str
    item: overdue.Item


def _overdue(user, g):
    """The overdue board's rows (every app's `overdue.SECTIONS`, as the board page lists them: overdue and
    nearly due, up to the board's limit per section, each section linking to its full list)."""
    today = timezone.localdate()
    horizon = workdays.add_workdays(today, params.get("dibao.nearly_due_workdays", today))
    ask = overdue.Request(user=user, today=today, horizon=horizon, city=user.region.level == Region.Level.CITY)
    providers = sorted((p for group in collect("overdue", "SECTIONS") for p in group), key=lambda p: p.order)
    names = region_names()
    rows = []
    for section in (p.build(ask) for p in providers):
        for item in (section.items if section is not None else []):
            item.place_name = "县（市、区）本级" if item.place == overdue.COUNTY_LEVEL else names.get(item.place,
                                                                                                   item.place)
            rows.append(OverdueRow(section.label, item))
    return rows


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
    "ledger": ListExport("工作台账", (Action.CASE_VIEW,), _ledger, (
        Column("对象", lambda r: r.subject_name), Column("村（社区）", lambda r: r.village.short_name),
        Column("发现途径", lambda r: r.get_source_display()), Column("发现日期", lambda r: r.found_on),
        Column("发现的困难", lambda r: r.need), Column("跟进期限", lambda r: r.due_date),
        Column("状态", lambda r: r.get_status_display()), Column("处理结果", lambda r: r.get_outcome_display()),
        Column("结果说明", lambda r: r.outcome_note)),
        (("status", "状态"), ("source", "发现途径"), ("village", "村（社区）"), ("q", "对象姓名"),
         ("overdue", "仅逾期"))),
    "rechecks": ListExport("复核名单", (Action.CASE_VIEW,), _rechecks, (
        Column("户主", lambda r: r.household.head_name), Column("类别", lambda r: r.entitlement.get_category_display()),
        Column("村（社区）", lambda r: r.village.short_name), Column("复核月份", lambda r: f"{r.month:%Y-%m}"),
        Column("应复核日期", lambda r: r.due_on), Column("复核原因", lambda r: r.trigger or "定期复核"),
        Column("保障人数", lambda r: r.entitlement.persons_covered), Column("原月金额", lambda r: r.amount_before or ""),
        Column("复核结果", lambda r: r.get_outcome_display() or "待复核"),
        Column("新月金额", lambda r: r.amount_after or "")),
        (("month", "复核月份"),)),
    "tekun": ListExport("特困人员", (Action.CASE_VIEW,), _tekun, (
        Column("姓名", lambda p: p.person.name), Column("身份证号", lambda p: p.person.id_masked, person=lambda p: p.person),
        Column("乡镇（街道）", lambda p: p.township.name), Column("村（社区）", lambda p: p.village.short_name),
        Column("状态", lambda p: p.get_status_display()), Column("供养方式", lambda p: p.get_form_display()),
        Column("自理能力", lambda p: p.get_self_care_level_display() or "未评估"),
        Column("最近评估", lambda p: p.last_assessed_on or ""), Column("最近探访", lambda p: p.last_visit_on or ""),
        Column("探访人", lambda p: p.visitor_name)),
        (("f", "筛选"),)),
    "temporary_aid": ListExport("临时救助", (Action.CASE_VIEW,), _aid, (
        Column("发放日期", lambda a: a.granted_on or ""), Column("户主", lambda a: a.household.head_name),
        Column("类型", lambda a: a.get_aid_type_display()), Column("办理方式", lambda a: a.get_track_display()),
        Column("金额（元）", lambda a: a.amount), Column("实施乡镇", lambda a: a.handling_township.name),
        Column("补充说明期限", lambda a: a.paperwork_due or ""), Column("状态", lambda a: a.get_status_display())),
        (("f", "筛选"),)),
    "batches": ListExport("资金发放批次", (Action.PAYMENT_VIEW,), _batches, (
        Column("批次", lambda b: str(b)), Column("编号", lambda b: b.number),
        Column("县（市、区）", lambda b: b.county.name), Column("月份", lambda b: f"{b.month:%Y-%m}"),
        Column("状态", lambda b: b.get_status_display()), Column("发放户数", lambda b: b.line_count),
        Column("暂停/剔除", lambda b: b.excluded_count), Column("金额（元）", lambda b: b.total_amount)),
        (("month", "月份"), ("status", "状态"))),
    "spotchecks": ListExport("县级抽查", (Action.SPOTCHECK_REVIEW, Action.SUPERVISION_VIEW), _spotchecks, (
        Column("县（市、区）", lambda s: s.county.name), Column("月份", lambda s: f"{s.month:%Y-%m}"),
        Column("决定数", lambda s: s.population), Column("抽取", lambda s: s.sampled),
        Column("已检查", lambda s: s.done), Column("发现问题", lambda s: s.problems),
        Column("状态", lambda s: s.get_status_display()), Column("发起日期", lambda s: s.created_at)),
        ()),
    "relatives": ListExport("近亲属备案人员", (Action.SUPERVISION_VIEW,), _relatives, (
        Column("姓名", lambda s: s.name), Column("人员类别", lambda s: s.get_kind_display()),
        Column("工作单位", lambda s: s.workplace), Column("职务", lambda s: s.position),
        Column("区划", lambda s: (s.village or s.township or s.county).name), Column("近亲属", lambda s: s.relative_count),
        Column("状态", lambda s: "在册" if s.active else "已注销"), Column("最近核实", lambda s: s.last_verified_at),
        Column("下次核实", lambda s: audit_services.reverify_due_date(s))),
        (("q", "查询"),)),
    "overdue": ListExport("逾期事项", (Action.CASE_VIEW, Action.SUPERVISION_VIEW, Action.PAYMENT_VIEW), _overdue, (
        Column("事项类别", lambda r: r.section), Column("地区", lambda r: r.item.place_name),
        Column("事项", lambda r: r.item.what), Column("对象", lambda r: r.item.who),
        Column("期限", lambda r: r.item.due), Column("状态", lambda r: "已超期" if r.item.state == "overdue" else "临期"),
        Column("超期天数", lambda r: max(r.item.days_over, 0))),
        ()),
}


def page_url(key: str) -> str:
    return reverse("reports:list_export", args=[key])
