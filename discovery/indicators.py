"""Active discovery's indicators of the three aims (core.indicators): households whose patrol visit is overdue
per their visit cycle (params discovery.visit_days_*), 工作台账 records past their follow-up date, and the
month's 不予受理 (watched, not judged: a refusal at the door is where a household may be lost)."""
from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Case, Exists, ExpressionWrapper, Max, OuterRef, Q, Subquery, When
from django.urls import reverse

from accounts.scope import Action
from cases.dibao.models import Application
from cases.entitlements.models import Entitlement
from cases.households.models import Household
from core.indicators import Ask, Column, Indicator
from core.months import day_start
from discovery.models import LedgerRecord, Visit
from discovery.selectors import GROUP_LABELS, visit_cycle_days

V = Action.CASE_VIEW


def visits_overdue(ask: Ask):
    """Households whose last visit (or, never visited, their registration) lies more than their group's visit
    cycle before the day looked at: 分散供养特困 > 低保 > other, as discovery.selectors.visits_due decides.

    The filter reads sets of households (in force per category, last visit per household), each computed once:
    a correlated look-up per household took 4-11 s for the city's 400,000. The annotations are for the rows."""
    on = ask.as_of
    in_force = Entitlement.objects.in_force()
    last = (Visit.objects.filter(household_id=OuterRef("pk"), visited_on__lte=on)
            .order_by("-visited_on").values("visited_on")[:1])
    qs = ask.place(Household.objects.restrict(ask.user, V).filter(
        created_at__lt=day_start(on + dt.timedelta(days=1)))).annotate(
        last_visit=Subquery(last), is_tekun=Exists(in_force.filter(household_id=OuterRef("pk"),
                                                                   category="tekun_dispersed")),
        is_dibao=Exists(in_force.filter(household_id=OuterRef("pk"), category="dibao")))
    # the groups' sets narrowed to the asked region (an open entitlement carries its household's region): the
    # city's 130,000 低保 households hashed for a township's count took most of its 0.2-0.4 s
    tekun = Q(pk__in=ask.place(in_force.filter(category="tekun_dispersed")).values("household_id"))
    dibao = Q(pk__in=ask.place(in_force.filter(category="dibao")).values("household_id"))
    visits = Visit.objects.filter(visited_on__lte=on)
    visited = Q(pk__in=visits.values("household_id"))

    def late(group: str) -> Q:
        cutoff = on - dt.timedelta(days=visit_cycle_days(group, on))
        last_before = (visits.order_by().values("household_id").annotate(last=Max("visited_on"))
                       .filter(last__lt=cutoff).values("household_id"))
        return Q(pk__in=last_before) | (~visited & Q(created_at__lt=day_start(cutoff)))

    # one CASE: each group's set is read (hashed) once, not once per mention — a county's parallel workers
    # each rebuilt five sets (0.3 s)
    overdue = Case(When(tekun, then=ExpressionWrapper(late("tekun"), output_field=BooleanField())),
                   When(dibao, then=ExpressionWrapper(late("dibao"), output_field=BooleanField())),
                   default=ExpressionWrapper(late("other"), output_field=BooleanField()), output_field=BooleanField())
    return qs.filter(overdue).select_related("village")


def ledger_overdue(ask: Ask):
    """工作台账 records past their follow-up date and still open on the day looked at."""
    return ask.place(LedgerRecord.objects.restrict(ask.user, V).filter(
        due_date__lt=ask.as_of, created_at__date__lte=ask.as_of).filter(
        Q(status=LedgerRecord.Status.OPEN) | Q(closed_at__date__gt=ask.as_of))).select_related("village")


def refusals(ask: Ask):
    """Applications refused at intake (不予受理) in the month."""
    return ask.place(Application.objects.restrict(ask.user, V).filter(
        status=Application.Status.NOT_ACCEPTED, decided_on__gte=ask.month, decided_on__lte=ask.as_of),
        county="handling_county_id", township="handling_township_id").select_related("household",
                                                                                      "handling_township")


def _group(row) -> str:
    return GROUP_LABELS["tekun" if row.is_tekun else "dibao" if row.is_dibao else "other"]


def _record(row):
    return reverse("discovery:record_detail", args=[row.pk])


INDICATORS = [
    Indicator("visits_overdue", "laodi", "巡查走访逾期",
              "超过走访周期（参数：分散供养特困、低保、其他家庭分别设定）未走访的家庭户数", (V,), visits_overdue,
              (Column("户主", lambda r: r.head_name, lambda r: reverse("cases:household_detail", args=[r.pk])),
               Column("村（社区）", lambda r: r.village.short_name), Column("分类", _group),
               Column("最近走访", lambda r: r.last_visit or "未走访")),
              order=10, source="discovery:board"),
    Indicator("ledger_overdue", "laodi", "工作台账跟进逾期",
              "工作台账中超过跟进期限仍未办结的记录条数（发现的困难未及时跟进到结果）", (V,), ledger_overdue,
              (Column("对象", lambda r: r.subject_name, _record), Column("村（社区）", lambda r: r.village.short_name),
               Column("发现途径", lambda r: r.get_source_display()), Column("发现日期", lambda r: r.found_on),
               Column("跟进期限", lambda r: r.due_date)),
              unit="条", order=15, source="discovery:ledger_list"),
    Indicator("intake_refusals", "laodi", "不予受理申请",
              "本月作出不予受理决定的申请件数（关注：是否有应保未保）", (V,), refusals,
              (Column("户主", lambda r: r.household.head_name,
                      lambda r: reverse("cases:application_detail", args=[r.pk])),
               Column("类别", lambda r: r.get_kind_display()), Column("办理乡镇", lambda r: r.handling_township.name),
               Column("决定日期", lambda r: r.decided_on)),
              unit="件", target=None, order=35, source="discovery:refusal_list"),
]
