"""Reads of the household registry, scoped to the requesting user."""
from __future__ import annotations

import re
import time

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery

from accounts.scope import Action, county_q, get_in_scope_or_404, scope_key
from cases.households.models import Household, Person
from core import categories, idnumbers, sqlmemo
from core.models import Region

_LAST4 = re.compile(r"^(?P<name>[^\d\s]+)\s*(?P<last4>\d{3}[\dXx])$")


def search_terms(q: str) -> tuple[str, tuple[str, ...]]:
    """What a search asks for: ("id", blind-index candidates) for a full ID number, ("last4", (name, last four))
    for a name plus the ID's last four, ("name", (q,)) for a name, ("", ()) for no search."""
    q = (q or "").strip()
    if not q:
        return "", ()
    value = idnumbers.normalize_for_lookup(q)
    if value:
        return "id", tuple(idnumbers.index_candidates(value))
    if m := _LAST4.match(q):
        return "last4", (m["name"], m["last4"].upper())
    return "name", (q,)


def _searched(qs, user, kind: str, terms):
    # Matching persons are found through their own indexes and joined back by household id (a semi-join):
    # no DISTINCT over household x person, and no OR across a join that would defeat the indexes. A name names
    # the user's counties too (accounts.scope.county_q): the persons' name index is led by the county.
    if kind == "id":
        return qs.filter(pk__in=Person.objects.filter(id_index__in=list(terms)).values("household_id"))
    if kind == "last4":
        name, last4 = terms
        found = Person.objects.filter(county_q(user, Action.CASE_VIEW, Person), name=name, id_last4=last4)
        return qs.filter(pk__in=found.values("household_id"))
    if kind == "name":
        (q,) = terms
        by_head = Household.objects.filter(head_name__startswith=q).order_by().values("pk")
        by_member = Person.objects.filter(county_q(user, Action.CASE_VIEW, Person), name=q)
        return qs.filter(pk__in=by_head.union(by_member.order_by().values("household_id")))
    return qs


def household_list(*, user, q: str = "", village: str = "", hukou_type: str = ""):
    """Households in scope, newest first. `q`: a full ID number, a name, or a name plus the ID's last four."""
    return _household_list(user, *search_terms(q), village=village, hukou_type=hukou_type)


def _household_list(user, kind: str, terms, *, village: str = "", hukou_type: str = ""):
    qs = _searched(Household.objects.restrict(user, Action.CASE_VIEW), user, kind, terms)
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


def household_rows(*, user, q: str = "", hukou_type: str = "", offset: int = 0, limit: int = 50) -> list[dict]:
    """LIST_COLUMNS of household_list's rows [offset, offset + limit), as plain dicts. The SQL is compiled once per
    scope, kind of search and slice (core.sqlmemo, keyed by accounts.scope.scope_key: role, region and explicit
    grants), the search terms and the filter passed as its arguments, and run afresh on every call: building
    and compiling the queryset cost more CPU than the statement itself on every view of the list
    (bench/README.md)."""
    kind, terms = search_terms(q)

    def build(*args):
        return (_household_list(user, kind, args[:len(terms)], hukou_type=args[-1] if hukou_type else "")
                .values(*LIST_COLUMNS)[offset:offset + limit])

    # Person too: a name search states the user's counties with the grants on persons beside them (county_q)
    key = ("cases.household_rows", scope_key(user, Action.CASE_VIEW, Household, Person), kind, len(terms),
           bool(hukou_type), offset, limit)
    return sqlmemo.values(key, build, (*terms, hukou_type) if hukou_type else terms)


REGION_NAMES_SECONDS = 600


_region_names: dict = {"at": -REGION_NAMES_SECONDS, "names": {}}


def region_names() -> dict[str, str]:
    """Code -> short name of every division (2,147 rows, changed only by a migration), per process."""


    now = time.monotonic()
    if now - _region_names["at"] >= REGION_NAMES_SECONDS:
        _region_names["names"] = {code: Region(code=code, name=name).short_name
                                  for code, name in Region.objects.values_list("code", "name")}
        _region_names["at"] = now
    return _region_names["names"]


def categories_of(household_ids) -> dict[int, list[dict]]:
    """Every category each household holds or held (one query, newest first): [{"code", "label", "ended",
    "start", "end"}] — the list and other pages show them all with their history (§1)."""
    out: dict[int, list[dict]] = {}
    ids = [int(pk) for pk in household_ids] or [0]  # an empty page still runs the one query: a constant count
    # One plain statement on the entitlements table: the ORM's join and compilation cost more CPU than the query
    # itself on every page of the list (bench/README.md). The ids are the page's, already in the user's scope.
    table = connection.ops.quote_name(Household._meta.get_field("entitlements").related_model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT household_id, category, status, start_month, end_month FROM {table} "  # noqa: S608
                       f"WHERE household_id IN ({', '.join(['%s'] * len(ids))}) "
                       "ORDER BY household_id, start_month DESC", ids)
        rows = cursor.fetchall()
    for pk, code, status, start, end in rows:
        out.setdefault(pk, []).append({"code": code, "label": categories.label(code), "ended": status == "ended",
                                       "start": start, "end": end})
    return out


def list_rows(rows: list[dict], *, detail_prefix: str) -> list[dict]:
    """Household list rows (values of LIST_COLUMNS) with display labels and links for the template."""
    names, hukou = region_names(), dict(Household.HukouType.choices)
    held = categories_of(r["id"] for r in rows)
    for r in rows:
        r["categories"] = held.get(r["id"], [])
        r["url"] = f"{detail_prefix}{r['id']}/"
        r["members"] = str(r["member_count"] or 0)
        r["hukou"] = hukou.get(r["hukou_type"], r["hukou_type"])
        r["township"] = names.get(r["township_id"], r["township_id"])
        r["village"] = names.get(r["village_id"], r["village_id"])
    return rows


def household_detail(*, user, pk: int) -> Household:
    qs = Household.objects.select_related("village", "township", "county").prefetch_related(
        Prefetch("members", queryset=Person.objects.order_by("id")),
        "incomes__person", "properties", "expenses__person",
        "entitlements",  # newest first: the model's ordering
    )
    return get_in_scope_or_404(qs, user, Action.CASE_VIEW, pk=pk)


def person_list(*, user, id_number: str = "", q: str = ""):
    qs = Person.objects.restrict(user, Action.CASE_VIEW).select_related("household", "village")
    if id_number:
        qs = qs.with_id_number(id_number)
    elif q:
        m = _LAST4.match(q.strip())
        qs = qs.filter(county_q(user, Action.CASE_VIEW, Person))  # the name index is led by the county
        qs = qs.filter(name=m["name"], id_last4=m["last4"].upper()) if m else qs.filter(name=q.strip())
    return qs.order_by("-id")
