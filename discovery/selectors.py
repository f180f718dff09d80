"""Reads of active discovery, scoped to the requesting user (every query goes through `.restrict`).

- `visit_cycle_days(group, on)` / `household_groups(ids)`: the visit cycle per group (params discovery.visit_days_*)
- `visits_due(*, user, village_codes, on)`: per household the last visit, the cycle and whether a visit is overdue
- `village_board(*, user, village)`: grids with their households and overdue visits, households not yet assigned
- `scorecard(*, user, month)`: per village and month — visits done vs due, found, applied, enrolled, exits
  proposed, ledger records overdue (the "五星" branch work of §7), every village of the user's reach side by side
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection
from django.db.models import BooleanField, Case, Count, Max, Q, Value, When
from django.utils import timezone

from accounts.scope import Action
from cases.dibao.models import Application
from cases.entitlements.models import Entitlement
from cases.households.models import Household
from core import params
from core.models import Region
from core.months import day_start, first_of_month, month_range
from discovery.models import Grid, GridMembership, LedgerRecord, Visit

GROUP_LABELS = {"tekun": "分散供养特困", "dibao": "低保", "other": "其他"}


def visit_cycle_days(group: str, on: dt.date | None = None) -> int:
    return params.get(f"discovery.visit_days_{group}", on or timezone.localdate())


def household_groups(household_ids) -> dict[int, str]:
    """tekun (dispersed 特困 in force) > dibao (低保 in force) > other."""
    groups: dict[int, str] = {}
    for hid, cat in Entitlement.objects.in_force().filter(
            household_id__in=household_ids, category__in=["tekun_dispersed", "dibao"]).values_list(
            "household_id", "category"):
        if cat == "tekun_dispersed" or groups.get(hid) != "tekun":
            groups[hid] = "tekun" if cat == "tekun_dispersed" else "dibao"
    return groups


def visits_due(*, user, households, on: dt.date | None = None) -> dict[int, dict]:
    """household id -> {group, cycle, last, due, overdue} for the given household queryset (already restricted)."""
    on = on or timezone.localdate()
    rows = list(households.values_list("id", "created_at"))
    ids = [r[0] for r in rows]
    groups = household_groups(ids)
    last = dict(Visit.objects.restrict(user, Action.CASE_VIEW).filter(household_id__in=ids, visited_on__lte=on)
                .values("household_id").annotate(last=Max("visited_on")).values_list("household_id", "last"))
    cycles = {g: visit_cycle_days(g, on) for g in GROUP_LABELS}
    out = {}
    for hid, created_at in rows:
        group = groups.get(hid, "other")
        start = last.get(hid) or timezone.localtime(created_at).date()
        due = start + dt.timedelta(days=cycles[group])
        out[hid] = {"group": group, "group_label": GROUP_LABELS[group], "cycle": cycles[group], "last": last.get(hid),
                    "due": due, "overdue": due < on}
    return out


def due_sql(user, households, *, on: dt.date, by: dt.date, entitlements=None) -> tuple[str, tuple]:
    """SQL (and its parameters) of the households among `households` that fall due for a visit by `by`, the rule
    of visits_due as of `on` (group tekun > dibao > other, last visit or registration, each group's cycle):
    columns id, village_id. A visit is overdue on day d when it fell due by d - 1 (`by=on - 1 day`).

    One statement over three sets, each read once: the households, their last visit (grouped) and their group
    (in-force 特困/低保, grouped), joined by hash, so a county's 70,000 households cost one pass of each table. A
    correlated look-up of the last visit per household took 0.5 s for a township, 1.2 s for a county, and the
    groups' IN-lists, hashed again by every parallel worker, 1 s for the city. `entitlements`: the region's
    entitlements (default: the user's reach; an open entitlement carries its household's region), read through
    the (county, category, status) index rather than joined to every household first."""
    cutoff = {g: by - dt.timedelta(days=visit_cycle_days(g, on)) for g in GROUP_LABELS}
    # "registered by the cutoff" as a timestamp comparison per group: a local date per row (AT TIME ZONE) is dear
    homes = households.order_by().annotate(**{
        f"new_{g}": Case(When(created_at__lt=day_start(day + dt.timedelta(days=1)), then=Value(True)),
                         default=Value(False), output_field=BooleanField()) for g, day in cutoff.items()}
    ).values("id", "village_id", *(f"new_{g}" for g in cutoff))
    last = (Visit.objects.restrict(user, Action.CASE_VIEW).filter(visited_on__lte=on).order_by()
            .values("household_id").annotate(m=Max("visited_on")))
    if entitlements is None:
        entitlements = Entitlement.objects.restrict(user, Action.CASE_VIEW)
    group = (entitlements.in_force().filter(category__in=["tekun_dispersed", "dibao"]).order_by().values("household_id")
             .annotate(tekun=Max(Case(When(category="tekun_dispersed", then=Value(1)), default=Value(0)))))
    (h_sql, h_params), (v_sql, v_params), (g_sql, g_params) = (
        qs.query.sql_with_params() for qs in (homes, last, group))
    # due when the last visit (or, never visited, the registration) lies on or before the group's cutoff
    sql = (f"SELECT h.id, h.village_id FROM ({h_sql}) h "
           f"LEFT JOIN ({v_sql}) v ON v.household_id = h.id "
           f"LEFT JOIN ({g_sql}) g ON g.household_id = h.id "
           "WHERE CASE WHEN g.tekun = 1 THEN COALESCE(v.m <= %s, h.new_tekun) "
           "WHEN g.household_id IS NOT NULL THEN COALESCE(v.m <= %s, h.new_dibao) "
           "ELSE COALESCE(v.m <= %s, h.new_other) END")
    return sql, (*h_params, *v_params, *g_params, cutoff["tekun"], cutoff["dibao"], cutoff["other"])


def _visits_due_per_village(user, households, *, on: dt.date, by: dt.date, entitlements=None) -> dict[str, int]:
    """How many of `households` fall due for a visit by `by` (as of `on`), per village: one grouped statement."""
    sql, params = due_sql(user, households, on=on, by=by, entitlements=entitlements)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.village_id, COUNT(*) FROM ({sql}) d GROUP BY d.village_id", params)
        return dict(cursor.fetchall())


def village_board(*, user, village: Region) -> dict:
    households = Household.objects.restrict(user, Action.CASE_VIEW).filter(village_id=village.code)
    grids = list(Grid.objects.restrict(user, Action.CASE_VIEW).filter(village_id=village.code)
                 .select_related("worker").order_by("name"))
    members = dict(GridMembership.objects.restrict(user, Action.CASE_VIEW).filter(
        village_id=village.code, ended_on__isnull=True).values_list("household_id", "grid_id"))
    due = visits_due(user=user, households=households)
    heads = dict(households.values_list("id", "head_name"))
    by_grid: dict[int | None, list] = defaultdict(list)
    for hid, info in due.items():
        by_grid[members.get(hid)].append({"id": hid, "head_name": heads.get(hid, ""), **info})
    for g in grids:
        rows = sorted(by_grid.get(g.pk, []), key=lambda r: (not r["overdue"], r["due"]))
        g.rows = rows
        g.household_count = len(rows)
        g.overdue = [r for r in rows if r["overdue"]]
    unassigned = sorted(by_grid.get(None, []), key=lambda r: r["head_name"])
    return {"village": village, "grids": grids, "unassigned": unassigned, "household_count": len(due),
            "overdue_count": sum(1 for r in due.values() if r["overdue"])}


def ledger_list(*, user, status: str = "", source: str = "", village: str = "", overdue: bool = False, q: str = ""):
    qs = LedgerRecord.objects.restrict(user, Action.CASE_VIEW).select_related("household", "village", "follow_up_by",
                                                                               "application")
    if status in LedgerRecord.Status.values:
        qs = qs.filter(status=status)
    if source in LedgerRecord.Source.values:
        qs = qs.filter(source=source)
    if village:
        qs = qs.filter(village_id=village)
    if overdue:
        qs = qs.filter(status=LedgerRecord.Status.OPEN, due_date__lt=timezone.localdate())
    if q := (q or "").strip():
        qs = qs.filter(subject_name__startswith=q)
    return qs.order_by("-status", "due_date", "id")  # open (跟进中) before closed


def visit_list(*, user, village: str = "", household: int | None = None):
    qs = Visit.objects.restrict(user, Action.CASE_VIEW).select_related("household", "visitor", "grid", "village")
    if village:
        qs = qs.filter(village_id=village)
    if household:
        qs = qs.filter(household_id=household)
    return qs.order_by("-visited_on", "-id")


def scorecard(*, user, month: dt.date, township: str = "") -> list[dict]:
    """One row per village in reach that has households, grids, visits or ledger records."""
    month = first_of_month(month)
    first, last = month_range(month)
    as_of = min(last, timezone.localdate())
    hh = Household.objects.restrict(user, Action.CASE_VIEW)
    if township:
        hh = hh.filter(township_id=township)
    entitlements = Entitlement.objects.restrict(user, Action.CASE_VIEW)
    if township:
        entitlements = entitlements.filter(township_id=township)
    due_in_month = _visits_due_per_village(user, hh.filter(created_at__lt=day_start(last + dt.timedelta(days=1))),
                                           on=first, by=last, entitlements=entitlements)

    def per_village(qs, **extra):
        if township:
            qs = qs.filter(township_id=township)
        return dict(qs.values("village_id").annotate(n=Count(extra.get("distinct", "id"), distinct=True))
                    .values_list("village_id", "n"))

    visits = Visit.objects.restrict(user, Action.CASE_VIEW).filter(visited_on__range=(first, last))
    records = LedgerRecord.objects.restrict(user, Action.CASE_VIEW)
    apps = Application.objects.restrict(user, Action.CASE_VIEW)
    cols = {
        "visited": per_village(visits, distinct="household_id"),
        "found": per_village(records.filter(found_on__range=(first, last))),
        "applied": per_village(apps.filter(created_at__date__range=(first, last))
                               .exclude(status=Application.Status.NOT_ACCEPTED)),
        "enrolled": per_village(apps.filter(status=Application.Status.CONFIRMED, decided_on__range=(first, last))),
        "exits": per_village(records.filter(outcome=LedgerRecord.Outcome.EXIT_PROPOSED,
                                            closed_at__date__range=(first, last))),
        "overdue": per_village(records.filter(Q(status=LedgerRecord.Status.OPEN) | Q(closed_at__date__gt=as_of),
                                              due_date__lt=as_of, created_at__date__lte=as_of)),
    }
    codes = set(due_in_month) | {c for col in cols.values() for c in col}
    names = {r.code: r.short_name for r in Region.objects.filter(code__in=codes).only("code", "name")}
    township_names = dict(Region.objects.filter(code__in={c[:9] for c in codes}).values_list("code", "name"))
    rows = []
    for code in sorted(codes):
        row = {"code": code, "name": names.get(code, code), "township": township_names.get(code[:9], ""),
               "due": due_in_month.get(code, 0), **{k: v.get(code, 0) for k, v in cols.items()}}
        row["visit_rate"] = round(100 * min(row["visited"], row["due"]) / row["due"]) if row["due"] else None
        rows.append(row)
    return rows
