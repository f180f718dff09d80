"""Reads of 特困 profiles, care coverage and institutions, scoped to the requesting user."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from accounts.scope import Action
from cases.tekun.eligibility import encourage_institution
from cases.tekun.models import (
    CareAgreement,
    Institution,
    TekunProfile,
)
from core import params


def profiles(*, user, flt: str = ""):
    """特困 persons in scope. flt: no_agreement | agreement_ending | visit_overdue | reassess_due | institution."""
    today = timezone.localdate()
    qs = (TekunProfile.objects.restrict(user, Action.CASE_VIEW)
          .select_related("person", "household", "village", "township", "institution"))
    active = qs.exclude(status=TekunProfile.Status.ENDED)
    dispersed = active.filter(form=TekunProfile.Form.DISPERSED)
    if flt == "no_agreement":
        return dispersed.exclude(agreements__start__lte=today, agreements__end__gte=today)
    if flt == "agreement_ending":
        soon = today + dt.timedelta(days=30)
        valid = CareAgreement.objects.filter(start__lte=today, end__gte=today)
        return dispersed.filter(agreements__in=valid.filter(end__lte=soon)).exclude(
            agreements__in=valid.filter(end__gt=soon)).distinct()
    if flt == "visit_overdue":
        limit = today - dt.timedelta(days=params.get("tekun.visit_interval_days"))
        return dispersed.filter(Q(last_visit_on__isnull=True) | Q(last_visit_on__lt=limit))
    if flt == "reassess_due":
        year_ago = today - dt.timedelta(days=365)
        return active.filter(Q(last_assessed_on__isnull=True) | Q(last_assessed_on__lte=year_ago))
    if flt == "institution":
        ids = [p.pk for p in dispersed if encourage_institution(p, today)]
        return qs.filter(pk__in=ids)
    return qs


def coverage(*, user) -> list[dict]:
    """Per township: dispersed persons in support, with a valid agreement, without one, visits overdue."""
    today = timezone.localdate()
    limit = today - dt.timedelta(days=params.get("tekun.visit_interval_days"))
    base = (TekunProfile.objects.restrict(user, Action.CASE_VIEW)
            .filter(form=TekunProfile.Form.DISPERSED).exclude(status=TekunProfile.Status.ENDED))
    valid = Q(agreements__start__lte=today, agreements__end__gte=today)
    rows = (base.values("township_id", "township__name")
            .annotate(total=Count("id", distinct=True), covered=Count("id", filter=valid, distinct=True),
                      overdue=Count("id", filter=Q(last_visit_on__isnull=True) | Q(last_visit_on__lt=limit),
                                    distinct=True))
            .order_by("township_id"))
    out = []
    for r in rows:
        r["missing"] = r["total"] - r["covered"]
        r["ratio"] = round(100 * r["covered"] / r["total"], 1) if r["total"] else 100.0
        out.append(r)
    return out


def institutions(*, user):
    return (Institution.objects.restrict(user, Action.CASE_VIEW)
            .annotate(occupied=Count("residents", filter=Q(residents__status__in=["assessing", "supported"])))
            .order_by("county_id", "name"))
