"""Data comparison's indicators of the three aims (core.indicators): discovery clues not verified in time
(兜牢底), other clues not verified in time and confirmed clues whose re-check is late (兜准底)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse

from accounts.scope import Action
from cases.models import Recheck
from core import params
from core.indicators import Ask, Column, Indicator
from monitoring.models import Clue
from monitoring.selectors import clue_action

READERS = (Action.CASE_VIEW, Action.SUPERVISION_VIEW)


def _clues(ask: Ask):
    action = clue_action(ask.user)
    if action is None:
        return Clue.objects.none()
    return ask.place(Clue.objects.restrict(ask.user, action)).select_related("person", "household", "village")


def _late(ask: Ask):
    """Open past the due day on the day looked at, or closed in the month after the due day."""
    return (Q(created_at__date__lte=ask.as_of, due_date__lt=ask.as_of)
            & (Q(closed_at__isnull=True) | Q(closed_at__date__gt=ask.as_of))) | \
        Q(closed_at__date__gte=ask.month, closed_at__date__lte=ask.as_of, closed_at__date__gt=F("due_date"))


def discovery_late(ask: Ask):
    """主动发现 clues (persons in need the files point at) not verified within their limit."""
    return _clues(ask).filter(kind=Clue.Kind.DISCOVERY).filter(_late(ask))


def clues_late(ask: Ask):
    """Clues about enrolled households (death, income, property, disability, family changes) not verified in time."""
    return _clues(ask).exclude(kind=Clue.Kind.DISCOVERY).filter(_late(ask))


def confirmed_recheck_late(ask: Ask):
    """Clues found true with a re-check or exit to follow, whose household's re-check is still not done a
    clue's time limit (param, working days taken as 7/5 calendar days) after the finding."""
    days = int(params.get("monitoring.clue_due_workdays", ask.as_of)) * 7 // 5
    pending = Recheck.objects.filter(household_id=OuterRef("household_id"), due_on__lte=ask.as_of).filter(
        Q(outcome="") | Q(done_at__date__gt=ask.as_of))
    return _clues(ask).filter(status=Clue.Status.CONFIRMED, followup__in=[Clue.FollowUp.RECHECK, Clue.FollowUp.EXIT],
                              closed_at__date__lt=ask.as_of - dt.timedelta(days=days)).filter(Exists(pending))


def _clue(row):
    return reverse("monitoring:clue_detail", args=[row.pk])


COLUMNS = (
    Column("线索", lambda r: r.get_kind_display(), _clue),
    Column("姓名", lambda r: r.display_name),
    Column("身份证号", lambda r: r.display_id_masked, person=lambda r: r.person),
    Column("村（社区）", lambda r: r.village.short_name),
    Column("内容", lambda r: r.summary),
    Column("核查期限", lambda r: r.due_date),
    Column("状态", lambda r: r.get_status_display()),
)

INDICATORS = [
    Indicator("discovery_late", "laodi", "主动发现线索核查逾期",
              "部门数据比对发现的疑似困难人员（主动发现线索）超过核查时限仍未核查或逾期核查的条数", READERS,
              discovery_late, COLUMNS, unit="条", order=10, source="monitoring:clue_list"),
    Indicator("clues_late", "zhundi", "疑点线索核查逾期",
              "在享家庭的死亡、收入、财产、家庭情况变化等疑点线索超过核查时限仍未核查或逾期核查的条数", READERS,
              clues_late, COLUMNS, unit="条", order=10, source="monitoring:clue_list"),
    Indicator("confirmed_recheck_late", "zhundi", "线索属实后复核逾期",
              "经核查属实、须启动复核或终止的线索，超过时限该户复核仍未完成的条数", READERS, confirmed_recheck_late,
              COLUMNS + (Column("核查结论", lambda r: r.finding),), unit="条", order=15,
              source="cases:recheck_list"),
]
