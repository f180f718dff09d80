"""Reads of the payment cycle, always through the user's reach (PAYMENT_VIEW: county officers, reviewers,
finance officers of the county; the city reads every county)."""
from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.scope import Action, get_in_scope_or_404, region_q, scope_key
from core import sqlmemo
from core.categories import Category
from core.models import Region
from funds import deadlines
from funds.models import BankResultJob, ExportJob, PayCategory, PayeeAccount, PaymentBatch, PaymentLine, PriceIndex


def batch_list(*, user, month: dt.date | None = None, status: str = ""):
    qs = PaymentBatch.objects.restrict(user, Action.PAYMENT_VIEW).select_related("county", "finalised_by", "approved_by")
    if month:
        qs = qs.filter(month=month)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-month", "county_id", "sequence")


RECENT_COLUMNS = ("id", "month", "county_id", "kind", "status", "line_count", "total_amount",
                  *(step.done_field for step in deadlines.STEPS))


def recent_batches(*, user, limit: int = 5) -> list[SimpleNamespace]:
    """The newest batches in the user's reach (batch_list's order), with the columns the home page shows and the
    dates its deadline states read, as plain objects: the SQL compiled once per scope (core.sqlmemo, keyed by
    accounts.scope.scope_key) and run afresh on every view, no model instances with three joined users."""
    key = ("funds.recent_batches", scope_key(user, Action.PAYMENT_VIEW, PaymentBatch), limit)
    rows = sqlmemo.values(key, lambda: batch_list(user=user).values(*RECENT_COLUMNS)[:limit])
    return [SimpleNamespace(**row) for row in rows]


def batch_detail(*, user, pk: int) -> PaymentBatch:
    qs = PaymentBatch.objects.select_related("county", "finalised_by", "approved_by", "created_by", "parent")
    return get_in_scope_or_404(qs, user, Action.PAYMENT_VIEW, pk=pk)


def batch_lines(*, user, batch: PaymentBatch, view: str = "included", q: str = ""):
    """Payment lines of a batch (the batch itself was fetched in scope). view: included/excluded/failed/changed."""
    qs = PaymentLine.objects.filter(batch=batch).select_related("township", "village")
    if view == "excluded":
        qs = qs.filter(excluded=True)
    elif view == "failed":
        qs = qs.filter(bank_status__in=[PaymentLine.BankStatus.FAILED, PaymentLine.BankStatus.REISSUED])
    elif view == "changed":
        qs = qs.filter(excluded=False).exclude(change="")
    else:
        qs = qs.filter(excluded=False)
    if q:
        qs = qs.filter(Q(head_name__startswith=q) | Q(card_masked__endswith=q[-4:]))
    return qs.order_by("line_no")


def category_totals(batch: PaymentBatch) -> list[dict]:
    rows = (PaymentLine.objects.filter(batch=batch, excluded=False).values("category")
            .annotate(households=Count("household", distinct=True), persons=Sum("persons_covered"),
                      amount=Sum("amount"), lines=Count("id")).order_by("category"))
    labels = dict(PayCategory.choices)
    order = [c for c, _ in PayCategory.choices]
    out = sorted(({**r, "label": labels.get(r["category"], r["category"])} for r in rows),
                 key=lambda r: order.index(r["category"]) if r["category"] in order else 99)
    return out


def funds_request(batch: PaymentBatch) -> dict:
    """Totals by township (rows) and category (columns) for the funds request to finance."""
    lines = PaymentLine.objects.filter(batch=batch, excluded=False)
    rows = (lines.values("township_id", "township__name", "category")
            .annotate(amount=Sum("amount"), lines=Count("id"),
                      persons=Sum("persons_covered", filter=~Q(category=PayCategory.PRICE_SUBSIDY)
                                  | Q(basis=Category.DIBAO_EDGE)))
            .order_by("township_id"))
    households = dict(lines.values("township_id").annotate(n=Count("household", distinct=True))
                      .values_list("township_id", "n"))
    categories = [c for c, _ in PayCategory.choices if any(r["category"] == c for r in rows)]
    table: OrderedDict[str, dict] = OrderedDict()
    for r in rows:
        t = table.setdefault(r["township_id"], {"name": r["township__name"], "cells": {}, "total": Decimal("0"),
                                                 "persons": 0, "lines": households.get(r["township_id"], 0)})
        t["cells"][r["category"]] = r["amount"]
        t["total"] += r["amount"]
        t["persons"] += r["persons"] or 0
    labels = dict(PayCategory.choices)
    col_totals = {c: sum((t["cells"].get(c, Decimal("0")) for t in table.values()), Decimal("0")) for c in categories}
    for t in table.values():
        t["row"] = [t["cells"].get(c, Decimal("0")) for c in categories]
    return {
        "categories": [(c, labels[c]) for c in categories],
        "townships": list(table.values()),
        "column_totals": [col_totals[c] for c in categories],
        "grand_total": sum(col_totals.values(), Decimal("0")),
        "persons": sum(t["persons"] for t in table.values()),
    }


def export_jobs(*, user, batch: PaymentBatch):
    return ExportJob.objects.restrict(user, Action.PAYMENT_VIEW).filter(batch=batch).select_related("requested_by")[:5]


def export_job(*, user, pk: int) -> ExportJob:
    return get_in_scope_or_404(ExportJob.objects.select_related("batch", "batch__county"), user, Action.PAYMENT_VIEW,
                               pk=pk)


def bank_result_jobs(*, user, batch: PaymentBatch):
    return (BankResultJob.objects.restrict(user, Action.PAYMENT_VIEW).filter(batch=batch)
            .select_related("requested_by").defer("file_cipher")[:5])


def bank_result_job(*, user, pk: int) -> BankResultJob:
    return get_in_scope_or_404(BankResultJob.objects.select_related("batch", "requested_by").defer("file_cipher"),
                               user, Action.PAYMENT_VIEW, pk=pk)


def deadline_report(*, user, month: dt.date) -> dict:
    """Per county in reach: the month's regular batch and whether each deadline was met."""
    counties = Region.objects.filter(level=Region.Level.COUNTY).filter(region_q(user)).order_by("code")
    batches = {b.county_id: b for b in PaymentBatch.objects.restrict(user, Action.PAYMENT_VIEW)
               .live().filter(month=month, kind=PaymentBatch.Kind.REGULAR)}
    due = deadlines.schedule(month)
    today = timezone.localdate()
    rows = []
    for county in counties:
        batch = batches.get(county.code)
        rows.append({"county": county, "batch": batch, "states": deadlines.states(batch, today, due)})
    return {"due": due, "rows": rows, "steps": deadlines.STEPS}


def price_indices():
    return PriceIndex.objects.select_related("entered_by").order_by("-month")


def payee_current(*, user, household_id: int) -> PayeeAccount | None:
    return (PayeeAccount.objects.restrict(user, Action.PAYMENT_VIEW).filter(household_id=household_id, active=True)
            .first())
