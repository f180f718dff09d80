"""Reads of the monitoring floor, always through the user's scope."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.http import Http404
from django.utils import timezone

from accounts.scope import Action, can, get_in_scope_or_404
from cases.models import Entitlement, Person
from core.models import Region
from core.months import add_months, first_of_month
from monitoring.matching import UNREGISTERED_KEY
from monitoring.models import Clue, ComparisonRun, MonthlySnapshot, RunIssue


def clue_action(user) -> str | None:
    """Townships work clues (CASE_PROCESS); counties and the city supervise; others in the case chain read."""
    for action in (Action.CASE_PROCESS, Action.SUPERVISION_VIEW, Action.CASE_VIEW):
        if can(user, action):
            return action
    return None


def run_list(*, user, source: str = ""):
    qs = ComparisonRun.objects.restrict(user, Action.SUPERVISION_VIEW).select_related("county", "uploaded_by")
    if source:
        qs = qs.filter(source=source)
    return qs.defer("file_cipher")


def run_detail(*, user, pk: int) -> ComparisonRun:
    return get_in_scope_or_404(ComparisonRun.objects.defer("file_cipher").select_related("county", "uploaded_by"),
                               user, Action.SUPERVISION_VIEW, pk=pk)


def run_issues(*, run: ComparisonRun, kind: str = ""):
    qs = RunIssue.objects.filter(run=run)
    return qs.filter(kind=kind) if kind else qs


def clue_list(*, user, status: str = "", kind: str = "", township: str = "", overdue: bool = False,
              run: int | None = None):
    action = clue_action(user)
    if action is None:
        raise Http404("未找到")
    qs = Clue.objects.restrict(user, action).select_related("person", "household", "township", "village")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if township:
        qs = qs.filter(township_id=township)
    if overdue:
        qs = qs.filter(status=Clue.Status.OPEN, due_date__lt=timezone.localdate())
    if run:
        qs = qs.filter(run_id=run)
    return qs.order_by("status", "due_date", "id")


def clue_detail(*, user, pk: int) -> Clue:
    action = clue_action(user)
    if action is None:
        raise Http404("未找到")
    qs = Clue.objects.select_related("person", "household", "township", "village", "run", "hold", "closed_by")
    return get_in_scope_or_404(qs, user, action, pk=pk)


def clue_registered_person(*, user, clue: Clue):
    """For a clue about a person who was not registered when it was made: that person if registered since
    (found by the ID's blind index the clue carries) and within the user's reach; else None."""
    if not clue.unregistered or not clue.fact_key.startswith(UNREGISTERED_KEY):
        return None
    return (Person.objects.restrict(user, Action.CASE_VIEW).select_related("household")
            .filter(id_index=clue.fact_key[len(UNREGISTERED_KEY):]).first())


def clue_exit_entitlements(*, user, clue: Clue) -> list:
    """For a confirmed death (follow-up 'exit'): the household's entitlements still open, which the township
    ends on the existing 终止 page (empty for other clues or users who cannot end entitlements)."""
    if clue.followup != Clue.FollowUp.EXIT or not (can(user, Action.CASE_PROCESS) or can(user, Action.CASE_DECIDE)):
        return []
    return list(Entitlement.objects.restrict(user, Action.CASE_VIEW).open()
                .filter(household_id=clue.household_id).order_by("id"))


def clue_summary(*, user) -> list[dict]:
    """Per township: open, overdue, closed (confirmed/unfounded) and the average days a closed clue took."""
    action = clue_action(user)
    if action is None:
        raise Http404("未找到")
    today = timezone.localdate()
    took = ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())
    rows = (Clue.objects.restrict(user, action).values("township_id", "township__name").annotate(
        open=Count("id", filter=Q(status="open")),
        overdue=Count("id", filter=Q(status="open", due_date__lt=today)),
        confirmed=Count("id", filter=Q(status="confirmed")),
        unfounded=Count("id", filter=Q(status="unfounded")),
        closed_late=Count("id", filter=~Q(status="open") & Q(closed_at__date__gt=F("due_date"))),
        avg_took=Avg(took, filter=~Q(status="open")),
    ).order_by("township_id"))
    out = []
    for r in rows:
        avg = r["avg_took"]
        if avg is not None and not isinstance(avg, dt.timedelta):
            avg = dt.timedelta(microseconds=float(avg))
        r["avg_days"] = round(avg.total_seconds() / 86400, 1) if avg is not None else None
        r["closed"] = r["confirmed"] + r["unfounded"]
        out.append(r)
    return out


# --- low-income population ----------------------------------------------------------------------------------

def population_regions(user) -> list[Region]:
    """Counties (city users) or townships (county users) the user may pick."""
    if user.region.level == Region.Level.CITY:
        return list(Region.objects.filter(level=Region.Level.COUNTY).order_by("code"))
    return list(Region.objects.filter(parent_id=user.region_id).order_by("code"))


def population_series(*, user, region: str = "", months: int = 12) -> dict:
    """{'months': [...], 'series': {category: [households per month]}, 'persons': {...}, 'rows': per-place table}."""
    if not can(user, Action.SUPERVISION_VIEW):
        raise Http404("未找到")
    qs = MonthlySnapshot.objects.restrict(user, Action.SUPERVISION_VIEW)
    if region:
        field = "county_id" if len(region) == 6 else "township_id"
        qs = qs.filter(**{field: region})
    today = first_of_month(timezone.localdate())

    start = first_of_month(add_months(today, -(months - 1)))
    qs = qs.filter(month__gte=start)
    month_list = sorted(set(qs.values_list("month", flat=True)))
    series: dict[str, dict] = defaultdict(dict)
    persons: dict[str, dict] = defaultdict(dict)
    for r in qs.values("month", "category").annotate(h=Sum("households"), p=Sum("persons")).order_by():
        series[r["category"]][r["month"]] = r["h"]
        persons[r["category"]][r["month"]] = r["p"]
    latest = month_list[-1] if month_list else None
    by_place = []
    if latest:
        place = "township" if user.region.level != Region.Level.CITY or region else "county"
        for r in (qs.filter(month=latest).values(f"{place}_id", f"{place}__name", "category")
                  .annotate(h=Sum("households"), p=Sum("persons")).order_by(f"{place}_id")):
            by_place.append({"code": r[f"{place}_id"], "name": r[f"{place}__name"], "category": r["category"],
                             "households": r["h"], "persons": r["p"]})
    return {"months": month_list, "series": series, "persons": persons, "latest": latest, "by_place": by_place}
