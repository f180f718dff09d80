"""Reads of the household registry, always through the user's scope."""
from __future__ import annotations

import hashlib
import re

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery

from accounts.scope import Action
from cases.models import Entitlement, Household, Person
from core import idnumbers

_LAST4 = re.compile(r"^(?P<name>[^\d\s]+)\s*(?P<last4>\d{3}[\dXx])$")


def household_list(*, user, q: str = "", village: str = "", hukou_type: str = ""):
    """Households in scope, newest first. `q`: a full ID number, a name, or a name plus the ID's last four."""
    qs = Household.objects.restrict(user, Action.CASE_VIEW)
    q = (q or "").strip()
    if q:
        # Matching persons are found through their own indexes and joined back by household id (a semi-join):
        # no DISTINCT over household x person, and no OR across a join that would defeat the indexes.
        value = idnumbers.normalize_for_lookup(q)
        if value:
            qs = qs.filter(pk__in=Person.objects.filter(id_index__in=idnumbers.index_candidates(value))
                           .values("household_id"))
        elif m := _LAST4.match(q):
            qs = qs.filter(pk__in=Person.objects.filter(name=m["name"], id_last4=m["last4"].upper())
                           .values("household_id"))
        else:
            by_head = Household.objects.filter(head_name__startswith=q).order_by().values("pk")
            by_member = Person.objects.filter(name=q).order_by().values("household_id")
            qs = qs.filter(pk__in=by_head.union(by_member))
    if village:
        qs = qs.filter(village_id=village)
    if hukou_type:
        qs = qs.filter(hukou_type=hukou_type)
    members = (
        Person.objects.filter(household=OuterRef("pk")).order_by().values("household")
        .annotate(c=Count("*")).values("c")
    )
    return qs.select_related("village", "township").annotate(
        member_count=Subquery(members, output_field=IntegerField())
    )


LIST_COLUMNS = ("id", "head_name", "hukou_type", "address", "township_id", "village_id", "member_count")
REGION_NAMES_SECONDS = 600
_region_names: dict = {"at": -REGION_NAMES_SECONDS, "names": {}}


def region_names() -> dict[str, str]:
    """Code -> short name of every division (2,147 rows, changed only by a migration), per process."""
    import time

    from core.models import Region

    now = time.monotonic()
    if now - _region_names["at"] >= REGION_NAMES_SECONDS:
        _region_names["names"] = {code: Region(code=code, name=name).short_name
                                  for code, name in Region.objects.values_list("code", "name")}
        _region_names["at"] = now
    return _region_names["names"]


def list_rows(rows: list[dict], *, detail_prefix: str) -> list[dict]:
    """Household list rows (values of LIST_COLUMNS) with display labels and links for the template."""
    names, hukou = region_names(), dict(Household.HukouType.choices)
    for r in rows:
        r["url"] = f"{detail_prefix}{r['id']}/"
        r["members"] = str(r["member_count"] or 0)
        r["hukou"] = hukou.get(r["hukou_type"], r["hukou_type"])
        r["township"] = names.get(r["township_id"], r["township_id"])
        r["village"] = names.get(r["village_id"], r["village_id"])
    return rows


def household_detail(*, user, pk: int) -> Household:
    from accounts.scope import get_in_scope_or_404

    qs = Household.objects.select_related("village", "township", "county").prefetch_related(
        Prefetch("members", queryset=Person.objects.order_by("id")),
        "incomes__person", "properties", "expenses__person",
        Prefetch("entitlements", queryset=Entitlement.objects.order_by("-start_month")),
    )
    return get_in_scope_or_404(qs, user, Action.CASE_VIEW, pk=pk)


def person_list(*, user, id_number: str = "", q: str = ""):
    qs = Person.objects.restrict(user, Action.CASE_VIEW).select_related("household", "village")
    if id_number:
        qs = qs.with_id_number(id_number)
    elif q:
        m = _LAST4.match(q.strip())
        qs = qs.filter(name=m["name"], id_last4=m["last4"].upper()) if m else qs.filter(name=q.strip())
    return qs.order_by("-id")


# Public notices (no login): rows built from a whitelist of fields; see cases/publicity.py.
from cases.publicity import public_dibao_list, publicity_cases  # noqa: E402,F401
# --- applications, meetings, notices, re-checks (低保 workflow) --------------------------------------------

def application_list(*, user, status: str = "", kind: str = "", q: str = "", township: str = "",
                     deadline: str = ""):
    """Applications the user may see (hukou or handling township), newest first."""
    from django.utils import timezone

    from cases.models import Application

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
            from core import params, workdays

            horizon = workdays.add_workdays(today, params.get("dibao.nearly_due_workdays", today))
            qs = qs.filter(deadline__gte=today, deadline__lte=horizon)
        qs = qs.order_by("deadline", "id")
    return qs


def application_detail(*, user, pk: int):
    from accounts.scope import get_in_scope_or_404
    from cases.models import Application

    qs = Application.objects.select_related(
        "household", "household__village", "household__township", "handling_township", "registered_by",
        "decided_by", "meeting", "entitlement", "applicant", "single_person")
    return get_in_scope_or_404(qs, user, Action.CASE_VIEW, pk=pk)


def todo_for(*, user) -> dict:
    """我的待办: what the user's own township has to do next, grouped by step."""
    from django.utils import timezone

    from accounts.scope import can
    from cases.models import Application, Notice, Recheck

    today = timezone.localdate()
    S = Application.Status
    mine = Application.objects.restrict(user, Action.CASE_VIEW).filter(handling_township_id=user.region_id) \
        .select_related("household", "village").order_by("deadline", "id")
    groups = {}
    if can(user, Action.CASE_PROCESS):
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
    from django.db.models import Count
    from django.utils import timezone

    from core import params, workdays

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
    import datetime as dt

    from cases.models import Application

    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return application_list(user=user).filter(
        status__in=[Application.Status.CONFIRMED, Application.Status.REFUSED],
        decided_on__gte=start, decided_on__lt=end).order_by("handling_township_id", "decided_on", "id")


def meeting_candidates(*, user):
    from cases.models import Application

    S = Application.Status
    return Application.objects.restrict(user, Action.CASE_PROCESS).filter(
        handling_township_id=user.region_id, status__in=[S.INVESTIGATED, S.REVIEWED]
    ).select_related("household", "village").order_by("accepted_on", "id")


def meeting_list(*, user):
    from cases.models import Meeting

    return Meeting.objects.restrict(user, Action.CASE_VIEW).select_related("township").annotate(
        cases=Count("applications"))


def recheck_list(*, user, month=None, open_only: bool = False):
    from cases.models import Recheck

    qs = Recheck.objects.restrict(user, Action.CASE_VIEW).select_related("household", "entitlement", "village",
                                                                         "done_by")
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


HOME_COUNTS_SECONDS = 300


def home_counts(*, user) -> dict[str, int]:
    """Households and paid entitlements in the user's scope, for the home page.

    Counting a city's 400,000 households on every page view is what a summary must not do: the counts
    are cached per scope (the user's region plus any explicit grants) for five minutes.
    """
    from accounts.scope import granted_pks
    from django.core.cache import cache

    grants = granted_pks(user, Household, Action.CASE_VIEW)
    scope = hashlib.sha1(",".join(map(str, sorted(grants))).encode()).hexdigest()[:16] if grants else "-"
    key = f"home-counts:v1:{user.role}:{user.region_id}:{scope}"
    counts = cache.get(key)
    if counts is None:
        households = Household.objects.restrict(user, Action.CASE_VIEW)
        paid = Entitlement.objects.restrict(user, Action.CASE_VIEW).filter(
            status__in=[Entitlement.Status.ACTIVE, Entitlement.Status.PHASING_OUT])
        counts = {
            "households": households.count(),
            **paid.aggregate(
                dibao=Count("pk", filter=Q(category=Entitlement.Category.DIBAO)),
                tekun=Count("pk", filter=Q(category__in=[Entitlement.Category.TEKUN_CENTRAL,
                                                         Entitlement.Category.TEKUN_DISPERSED])),
            ),
        }
        cache.set(key, counts, HOME_COUNTS_SECONDS)
    return counts
