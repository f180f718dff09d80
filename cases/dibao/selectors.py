"""Reads of applications, meetings, re-checks and entitlements, scoped to the requesting user."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from accounts.scope import Action, can, county_q, get_in_scope_or_404, scope_key, scope_q
from cases.dibao.models import Application, Meeting, Notice, Recheck
from cases.entitlements.models import Entitlement
from cases.households.models import Person
from core import params, sqlmemo, workdays


def application_list(*, user, status: str = "", kind: str = "", q: str = "", township: str = "",
                     deadline: str = ""):
    """Applications the user may see (hukou or handling township), newest first."""


    qs = Application.objects.restrict(user, Action.CASE_VIEW).select_related(
        "household", "village", "township", "handling_township", "registered_by")
    if status == "open":
        qs = qs.open()
    elif status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if township:
        qs = qs.filter(Q(handling_township_id=township) | Q(township_id=township))
    if q := (q or "").strip():
        # a member's name through the persons' name index, which is led by the county: the counties of the
        # applications in reach (a township also handles applications of households registered elsewhere)
        if scope_q(user, Action.CASE_VIEW) == Q():  # the city: every county
            members = Person.objects.filter(county_q(user, Action.CASE_VIEW, Person), name=q)
        else:
            counties = list(qs.order_by().values_list("county_id", flat=True).distinct())
            members = Person.objects.filter(county_id__in=counties, name=q)
        qs = qs.filter(Q(household__head_name__startswith=q) | Q(household_id__in=members.values("household_id")))
    if deadline:
        today = timezone.localdate()
        qs = qs.open()
        if deadline == "overdue":
            qs = qs.filter(deadline__lt=today)
        elif deadline == "near":

            horizon = workdays.add_workdays(today, params.get("dibao.nearly_due_workdays", today))
            qs = qs.filter(deadline__gte=today, deadline__lte=horizon)
        qs = qs.order_by("deadline", "id")
    return qs


def application_detail(*, user, pk: int):

    qs = Application.objects.select_related(
        "household", "household__village", "household__township", "handling_township", "registered_by",
        "decided_by", "meeting", "entitlement", "applicant", "single_person")
    return get_in_scope_or_404(qs, user, Action.CASE_VIEW, pk=pk)


TODO_LABELS = {
    "drafts": "村级代办待受理", "investigate": "待入户调查核对", "meeting": "待集体研究（可登记民主评议）",
    "publicity_due": "公示期满待提交审核确认", "publicity": "公示中", "decide": "待审核确认",
}


def _todo_filters(user, today) -> dict[str, Q]:
    """Each to-do group of the user's township: the applications it holds (one rule for the list and counts)."""
    S = Application.Status
    groups = {}
    if can(user, Action.CASE_PROCESS):
        groups["drafts"] = Q(status=S.DRAFT)
        groups["investigate"] = Q(status__in=[S.ACCEPTED, S.INVESTIGATING])
        groups["meeting"] = Q(status__in=[S.INVESTIGATED, S.REVIEWED])
        groups["publicity_due"] = Q(status=S.PUBLICITY, publicity_end__lt=today)
        groups["publicity"] = Q(status=S.PUBLICITY, publicity_end__gte=today)
    if can(user, Action.CASE_DECIDE):
        groups["decide"] = Q(status=S.AWAITING_DECISION) & ~Q(registered_by=user)
    return groups


def _todo_querysets(user):
    mine = Application.objects.restrict(user, Action.CASE_VIEW).filter(handling_township_id=user.region_id)
    notices = Notice.objects.restrict(user, Action.CASE_VIEW).filter(delivered_on__isnull=True)
    rechecks = Recheck.objects.restrict(user, Action.CASE_VIEW).filter(outcome="")
    return mine, notices, rechecks


def todo_counts(*, user) -> dict:
    """How many of each to-do group (todo_for), notices to deliver and re-checks due: for the home page, one
    statement, compiled once per scope and day (core.sqlmemo) — no rows or model instances."""
    today = timezone.localdate()
    filters = _todo_filters(user, today)

    def build():
        mine, notices, rechecks = _todo_querysets(user)
        counts = {key: Count("pk", filter=q) for key, q in filters.items()}
        return [(mine, counts), (notices, {"notices": Count("pk")}), (rechecks, {"rechecks": Count("pk")})]

    key = ("todo_counts", scope_key(user, Action.CASE_VIEW, Application, Notice, Recheck), user.pk, today,
           tuple(filters))
    counts = sqlmemo.aggregates(key, build)
    return {"groups": [(TODO_LABELS[k], counts[k]) for k in filters],
            "notices": counts["notices"], "rechecks": counts["rechecks"]}


def todo_for(*, user) -> dict:
    """我的待办: what the user's own township has to do next, grouped by step."""


    today = timezone.localdate()
    mine, notices, rechecks = _todo_querysets(user)
    mine = mine.select_related("household", "village").order_by("deadline", "id")
    groups = {key: (TODO_LABELS[key], list(mine.filter(q))) for key, q in _todo_filters(user, today).items()}
    notices = notices.select_related("household").order_by("due_by")[:50]
    rechecks = rechecks.select_related("household", "entitlement").order_by("due_on")[:50]
    return {"groups": groups, "notices": list(notices), "rechecks": list(rechecks)}


def deadline_board(*, user):
    """Open applications overdue or nearly due, with counts per township (for township and county pages)."""


    today = timezone.localdate()
    horizon = workdays.add_workdays(today, params.get("dibao.nearly_due_workdays", today))
    open_qs = application_list(user=user, status="open")
    rows = list(open_qs.filter(deadline__lte=horizon).order_by("deadline", "id")[:300])
    per_township = (open_qs.order_by().values("handling_township_id", "handling_township__name")
                    .annotate(total=Count("id"),
                              overdue=Count("id", filter=Q(deadline__lt=today)),
                              near=Count("id", filter=Q(deadline__gte=today, deadline__lte=horizon)))
                    .order_by("-overdue", "-near", "handling_township_id"))
    per_county = (open_qs.order_by().values("handling_county_id", "handling_county__name")
                  .annotate(total=Count("id"),
                            overdue=Count("id", filter=Q(deadline__lt=today)),
                            near=Count("id", filter=Q(deadline__gte=today, deadline__lte=horizon)))
                  .order_by("handling_county_id"))
    return {"rows": rows, "per_township": list(per_township), "per_county": list(per_county), "today": today,
            "horizon": horizon}


def application_decisions(*, user, month):
    """Township decisions (confirmed and refused) in a month — what the county samples for spot-checks (§5)."""


    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return application_list(user=user).filter(
        status__in=[Application.Status.CONFIRMED, Application.Status.REFUSED],
        decided_on__gte=start, decided_on__lt=end).order_by("handling_township_id", "decided_on", "id")


def meeting_candidates(*, user):

    S = Application.Status
    return Application.objects.restrict(user, Action.CASE_PROCESS).filter(
        handling_township_id=user.region_id, status__in=[S.INVESTIGATED, S.REVIEWED]
    ).select_related("household", "village").order_by("accepted_on", "id")


def meeting_list(*, user):

    return Meeting.objects.restrict(user, Action.CASE_VIEW).select_related("township").annotate(
        cases=Count("applications"))


def recheck_list(*, user, month=None, open_only: bool = False):

    qs = Recheck.objects.restrict(user, Action.CASE_VIEW).select_related("household", "entitlement", "village",
                                                                         "done_by", "assigned_to")
    if month:
        qs = qs.filter(month=month)
    if open_only:
        qs = qs.filter(outcome="")
    return qs.order_by("outcome", "due_on", "id")


def entitlement_list(*, user, category: str = "", status: str = ""):
    qs = Entitlement.objects.restrict(user, Action.CASE_VIEW).select_related("household", "village")
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-id")
