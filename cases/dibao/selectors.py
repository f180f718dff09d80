"""Reads of applications, meetings, re-checks and entitlements, scoped to the requesting user."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from accounts.scope import Action, can, get_in_scope_or_404
from cases.dibao.models import Application, Meeting, Notice, Recheck
from cases.entitlements.models import Entitlement
from core import params, workdays


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
        qs = qs.filter(Q(household__head_name__startswith=q) | Q(household__members__name=q)).distinct()
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


def todo_for(*, user) -> dict:
    """我的待办: what the user's own township has to do next, grouped by step."""


    today = timezone.localdate()
    S = Application.Status
    mine = Application.objects.restrict(user, Action.CASE_VIEW).filter(handling_township_id=user.region_id) \
        .select_related("household", "village").order_by("deadline", "id")
    groups = {}
    if can(user, Action.CASE_PROCESS):
        groups["drafts"] = ("村级代办待受理", list(mine.filter(status=S.DRAFT)))
        groups["investigate"] = ("待入户调查核对", list(mine.filter(status__in=[S.ACCEPTED, S.INVESTIGATING])))
        groups["meeting"] = ("待集体研究（可登记民主评议）", list(mine.filter(status__in=[S.INVESTIGATED, S.REVIEWED])))
        groups["publicity_due"] = ("公示期满待提交审核确认", list(mine.filter(status=S.PUBLICITY, publicity_end__lt=today)))
        groups["publicity"] = ("公示中", list(mine.filter(status=S.PUBLICITY, publicity_end__gte=today)))
    if can(user, Action.CASE_DECIDE):
        groups["decide"] = ("待审核确认", list(mine.filter(status=S.AWAITING_DECISION).exclude(registered_by=user)))
    notices = Notice.objects.restrict(user, Action.CASE_VIEW).filter(
        delivered_on__isnull=True).select_related("household").order_by("due_by")[:50]
    rechecks = Recheck.objects.restrict(user, Action.CASE_VIEW).filter(outcome="").select_related(
        "household", "entitlement").order_by("due_on")[:50]
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
