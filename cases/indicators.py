"""The cases floor's indicators of the three aims (core.indicators): 特困 care coverage and visits, relatives'
cases, and the time limits of applications, notices, 先行救助 paperwork and re-checks."""
from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse

from accounts.scope import Action
from cases.models import (
    Application,
    CareAgreement,
    CareVisit,
    Notice,
    Person,
    Recheck,
    RelativeLink,
    TekunProfile,
    TemporaryAid,
)
from core import params
from core.indicators import Ask, Column, Indicator

V = Action.CASE_VIEW


def _dispersed(ask: Ask):
    return ask.place(TekunProfile.objects.restrict(ask.user, V).filter(
        status=TekunProfile.Status.SUPPORTED, form=TekunProfile.Form.DISPERSED, created_at__date__lte=ask.as_of))


def tekun_no_agreement(ask: Ask):
    """分散供养 persons in support without a signed care agreement valid on the day looked at."""
    valid = CareAgreement.objects.filter(profile_id=OuterRef("pk"), start__lte=ask.as_of, end__gte=ask.as_of)
    return _dispersed(ask).filter(~Exists(valid)).select_related("person", "village")


def tekun_not_visited(ask: Ask):
    """分散供养 persons with no visit logged within the visit interval (param) before the day looked at."""
    days = int(params.get("tekun.visit_interval_days", ask.as_of))
    recent = CareVisit.objects.filter(profile_id=OuterRef("pk"), visited_on__gt=ask.as_of - dt.timedelta(days=days),
                                      visited_on__lte=ask.as_of)
    return _dispersed(ask).filter(~Exists(recent)).select_related("person", "village")


def _applications(ask: Ask):
    return ask.place(Application.objects.restrict(ask.user, V), county="handling_county_id",
                     township="handling_township_id")


def relative_cases(ask: Ask):
    """Applications accepted in the month whose household has a registered close relative of staff (§12)."""
    relative = Person.objects.filter(household_id=OuterRef("household_id"),
                                     id_index__in=RelativeLink.objects.values("id_index"))
    return (_applications(ask).filter(accepted_on__gte=ask.month, accepted_on__lte=ask.as_of)
            .filter(Exists(relative)).select_related("household", "handling_township"))


def applications_late(ask: Ask):
    """Applications past their time limit (25 working days, 40 when extended): still open on the day looked at,
    or decided in the month after the limit."""
    open_late = (Q(accepted_on__lte=ask.as_of, deadline__lt=ask.as_of)
                 & (Q(decided_on__gt=ask.as_of) | (Q(decided_on__isnull=True) & ~Q(status__in=Application.FINAL))))
    decided_late = Q(decided_on__gte=ask.month, decided_on__lte=ask.as_of, decided_on__gt=F("deadline"))
    return _applications(ask).filter(open_late | decided_late).select_related("household", "handling_township")


def notices_late(ask: Ask):
    """Written notices (不予确认/终止) not delivered within their limit (3 working days)."""
    return ask.place(Notice.objects.restrict(ask.user, V).filter(
        decided_on__lte=ask.as_of, due_by__lt=ask.as_of).filter(
        Q(delivered_on__isnull=True) | Q(delivered_on__gt=ask.as_of)
        | Q(delivered_on__gte=ask.month, delivered_on__gt=F("due_by")))).select_related("household")


def paperwork_late(ask: Ask):
    """小金额先行救助 whose 事后补充说明 is past its limit (5 working days)."""
    return ask.place(TemporaryAid.objects.restrict(ask.user, V).filter(
        paperwork_due__isnull=False, paperwork_due__lt=ask.as_of, granted_on__lte=ask.as_of).filter(
        Q(paperwork_submitted_on__isnull=True) | Q(paperwork_submitted_on__gt=ask.as_of)
        | Q(paperwork_submitted_on__gte=ask.month, paperwork_submitted_on__gt=F("paperwork_due"))),
        township="handling_township_id").select_related("household")


def rechecks_late(ask: Ask):
    """Periodic re-checks past their due day and not done by the day looked at (households whose changes may
    go unnoticed: 兜准底)."""
    return ask.place(Recheck.objects.restrict(ask.user, V).filter(due_on__lt=ask.as_of).filter(
        Q(outcome="") | Q(done_at__date__gt=ask.as_of))).select_related("household", "village")


def changes_undecided(ask: Ask):
    """Re-checks opened by a change of the household (参军服役, 在监服刑, 婚嫁分户, 死亡, new income or property:
    `trigger` set) not decided by their due date: a household that may no longer qualify is still paid (兜准底)."""
    return ask.place(Recheck.objects.restrict(ask.user, V).exclude(trigger="").filter(
        due_on__lt=ask.as_of, created_at__date__lte=ask.as_of).filter(
        Q(outcome="") | Q(done_at__date__gt=ask.as_of))).select_related("household", "village")


def _hh(row):
    return reverse("cases:household_detail", args=[row.household_id])


def _app(row):
    return reverse("cases:application_detail", args=[row.pk])


def _tekun(row):
    return reverse("cases:tekun_detail", args=[row.pk])


TEKUN_COLUMNS = (
    Column("姓名", lambda r: r.person.name, _tekun),
    Column("身份证号", lambda r: r.person.id_masked, person=lambda r: r.person),
    Column("村（社区）", lambda r: r.village.short_name),
    Column("探访人", lambda r: r.visitor_name or "未指定"),
    Column("最近探访", lambda r: r.last_visit_on or "—"),
)
APP_COLUMNS = (
    Column("编号", lambda r: r.number, _app),
    Column("户主", lambda r: r.household.head_name, _hh),
    Column("类别", lambda r: r.get_kind_display()),
    Column("办理乡镇", lambda r: r.handling_township.name),
    Column("受理日期", lambda r: r.accepted_on),
    Column("办结期限", lambda r: r.deadline),
    Column("状态", lambda r: r.get_status_display()),
    Column("确认日期", lambda r: r.decided_on or "—"),
)

INDICATORS = [
    Indicator("tekun_no_agreement", "laodi", "分散供养特困人员无有效照料协议",
              "在供养的分散供养特困人员中，当日没有有效委托照料服务协议的人数（全员覆盖、不漏一人）", (V,),
              tekun_no_agreement, TEKUN_COLUMNS, unit="人", order=40, source="cases:tekun_list"),
    Indicator("tekun_not_visited", "laodi", "分散供养特困人员探访逾期",
              "在供养的分散供养特困人员中，探访间隔（参数，默认30天）内没有探访记录的人数", (V,),
              tekun_not_visited, TEKUN_COLUMNS, unit="人", order=20, source="cases:tekun_list"),
    Indicator("relative_cases", "zhundi", "近亲属备案对象申请",
              "本月受理的申请中，家庭成员为备案的工作人员或村干部近亲属的件数（须单独登记并按60%抽查）", (V,),
              relative_cases, APP_COLUMNS, unit="件", target=None, order=30, source="audit:relative_matches"),
    Indicator("applications_late", "haodi", "申请超过办结时限",
              "超过办结时限（25个工作日，延期40个工作日）仍未办结，或本月办结但已超期的申请件数", (V,),
              applications_late, APP_COLUMNS, unit="件", order=50, source="cases:deadlines"),
    Indicator("notices_late", "haodi", "书面通知逾期未送达",
              "不予确认、终止救助通知书超过送达时限（3个工作日）仍未送达或逾期送达的件数", (V,), notices_late,
              (Column("户主", lambda r: r.household.head_name, _hh), Column("文书", lambda r: r.get_kind_display()),
               Column("决定日期", lambda r: r.decided_on), Column("送达期限", lambda r: r.due_by),
               Column("送达日期", lambda r: r.delivered_on or "未送达",
                      lambda r: reverse("cases:notice_detail", args=[r.pk]))),
              unit="件", order=60, source="cases:deadlines"),
    Indicator("paperwork_late", "haodi", "先行救助补充说明逾期",
              "小金额先行救助后超过时限（5个工作日）仍未提交事后补充说明或逾期提交的件数", (V,), paperwork_late,
              (Column("户主", lambda r: r.household.head_name, _hh),
               Column("金额（元）", lambda r: r.amount, lambda r: reverse("cases:aid_detail", args=[r.pk])),
               Column("发放日期", lambda r: r.granted_on), Column("补充说明期限", lambda r: r.paperwork_due),
               Column("提交日期", lambda r: r.paperwork_submitted_on or "未提交")),
              unit="件", order=70, source="cases:aid_list"),
    Indicator("rechecks_late", "zhundi", "定期复核逾期",
              "应复核日期已过仍未完成复核的件数（家庭收入、财产、人口变化未及时核实）", (V,), rechecks_late,
              (Column("户主", lambda r: r.household.head_name, _hh), Column("村（社区）", lambda r: r.village.short_name),
               Column("复核月份", lambda r: f"{r.month:%Y-%m}"), Column("应复核日期", lambda r: r.due_on,
                                                                   lambda r: reverse("cases:recheck_do", args=[r.pk])),
               Column("结果", lambda r: r.get_outcome_display() or "未复核")),
              unit="件", order=20, source="cases:recheck_list"),
    Indicator("changes_undecided", "zhundi", "情况变化逾期未处理",
              "家庭成员参军服役、在监服刑、婚嫁分户、死亡或新增收入财产后触发的复核，超过期限仍未作出决定的件数",
              (V,), changes_undecided,
              (Column("户主", lambda r: r.household.head_name, _hh), Column("村（社区）", lambda r: r.village.short_name),
               Column("变化情况", lambda r: r.trigger[:60]),
               Column("应复核日期", lambda r: r.due_on, lambda r: reverse("cases:recheck_do", args=[r.pk])),
               Column("结果", lambda r: r.get_outcome_display() or "未决定")),
              unit="件", order=15, source="cases:recheck_list"),
]
