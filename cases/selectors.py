"""Reads of the household registry, always through the user's scope."""
from __future__ import annotations

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
        value = idnumbers.normalize_for_lookup(q)
        if value:
            qs = qs.filter(members__id_index__in=idnumbers.index_candidates(value))
        elif m := _LAST4.match(q):
            qs = qs.filter(members__name=m["name"], members__id_last4=m["last4"].upper())
        else:
            qs = qs.filter(Q(head_name__startswith=q) | Q(members__name=q))
        qs = qs.distinct()
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
