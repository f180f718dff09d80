"""The reserve-fund ledger by scope (issue #15): a user sees ledger lines only for households inside the
user's region (or aid the user's township handled under the 急难发生地 rule); village staff see no fund
balances (a running balance would tell them other villages' amounts); finance sees township totals only."""
from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum

from accounts.models import ROLE_LEVEL
from accounts.scope import Action, can
from cases.temporary_aid.models import ReserveFund, ReserveFundEntry, TemporaryAid
from core.models import Region

CENT = Decimal("0.01")
FINANCE_REFUSAL = "财政部门只查看各乡镇备用金汇总，不查看逐笔流水"


def sees_entries(user) -> bool:
    """Line by line: civil-affairs staff who may view cases. Finance (payments only) sees totals."""
    return can(user, Action.CASE_VIEW)


def sees_balances(user) -> bool:
    return ROLE_LEVEL.get(user.role) != Region.Level.VILLAGE


def funds(user):
    """The township funds whose balance the user may see."""
    qs = ReserveFund.objects.select_related("township").order_by("township_id")
    if not (can(user, Action.CASE_VIEW) or can(user, Action.PAYMENT_VIEW)) or not sees_balances(user):
        return qs.none()
    level = ROLE_LEVEL[user.role]
    if level == Region.Level.CITY:
        return qs
    if level == Region.Level.COUNTY:
        return qs.filter(county_id=user.region_id)
    return qs.filter(township_id=user.region_id[:9])


def entries(user, fund: ReserveFund | None = None):
    """Ledger lines in reach: disbursements whose aid the user may view (TemporaryAid's own scope: the
    household's places plus the handling township); top-ups and returns only with the fund's balance."""
    if not sees_entries(user):
        return ReserveFundEntry.objects.none()
    aids = TemporaryAid.objects.restrict(user, Action.CASE_VIEW).values("pk")
    q = Q(aid__in=aids)
    if sees_balances(user):
        q |= Q(aid__isnull=True, fund__in=funds(user))
    qs = ReserveFundEntry.objects.filter(q)
    if fund is not None:
        qs = qs.filter(fund=fund)
    return qs.select_related("fund__township", "created_by", "aid")


def _yuan(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)  # SQLite's SUM drops the scale


def township_totals(user) -> list[dict]:
    """Per township: balance, allocated, disbursed and the number of grants — no lines, no names."""
    rows = []
    for fund in funds(user).annotate(
            topped=Sum("entries__amount", filter=Q(entries__kind=ReserveFundEntry.Kind.TOP_UP)),
            paid=Sum("entries__amount", filter=Q(entries__kind=ReserveFundEntry.Kind.DISBURSEMENT)),
            grants=Count("entries", filter=Q(entries__kind=ReserveFundEntry.Kind.DISBURSEMENT))):
        rows.append({"township": fund.township_id, "township_name": fund.township.name, "balance": fund.balance,
                     "topped_up": _yuan(fund.topped), "disbursed": _yuan(fund.paid), "grants": fund.grants})
    return rows
