"""Reads of the social-forces app; every list goes through `.restrict(user, action)`."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.lookups import Exact
from django.utils import timezone

from accounts.scope import Action
from cases.models import Entitlement, Household, TekunProfile
from charity.models import (
    CharityFund,
    CharityGrant,
    Contact,
    Contribution,
    Donation,
    FundEntry,
    Helper,
    MutualAidSociety,
    Pairing,
    Provider,
    Referral,
    ServiceContract,
    ServiceOrder,
    ServiceRecord,
    SocietyGrant,
)
from core import params
from core.masking import mask_name
from core.models import Region

ZERO = Decimal("0.00")


def funds(*, user):
    return CharityFund.objects.restrict(user, Action.CHARITY_VIEW).select_related("county")


def grants(*, user, status: str = ""):
    qs = CharityGrant.objects.restrict(user, Action.CHARITY_VIEW).select_related(
        "fund", "household", "township", "village", "proposed_by", "decided_by")
    return qs.filter(status=status) if status else qs


def referrals(*, user, status: str = ""):
    qs = Referral.objects.restrict(user, Action.CHARITY_VIEW).select_related("household", "fund", "society",
                                                                           "township", "village")
    if status == "overdue":
        return qs.filter(status=Referral.Status.OPEN, due_on__lt=timezone.localdate())
    return qs.filter(status=status) if status else qs


@dataclass
class Statement:
    fund: CharityFund
    year: int
    opening: Decimal
    donations: list
    grants: list
    donated: Decimal
    granted: Decimal
    closing: Decimal


def fund_statement(fund: CharityFund, year: int) -> Statement:
    """The yearly statement: opening balance, donations in and grants out of the year, closing balance (from the
    ledger's balance_after, so it agrees with the fund row)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    entries = FundEntry.objects.filter(fund=fund)
    before = entries.filter(created_at__date__lt=start).order_by("-created_at", "-id").first()
    opening = before.balance_after if before else ZERO
    in_year = entries.filter(created_at__date__gte=start, created_at__date__lte=end)
    last = in_year.order_by("-created_at", "-id").first()
    donations = list(Donation.objects.filter(fund=fund, pk__in=in_year.values("donation_id")).order_by("received_on"))
    grant_rows = list(CharityGrant.objects.filter(pk__in=in_year.values("grant_id"))
                      .select_related("township", "village").order_by("decided_at"))
    donated = sum((d.amount for d in donations), ZERO)
    granted = sum((g.amount for g in grant_rows), ZERO)
    return Statement(fund=fund, year=year, opening=opening, donations=donations, grants=grant_rows,
                     donated=donated, granted=granted, closing=last.balance_after if last else opening)


def societies(*, user):
    return MutualAidSociety.objects.restrict(user, Action.CHARITY_VIEW).select_related("township", "village")


@dataclass
class PublicAccount:
    society: MutualAidSociety
    year: int
    opening: Decimal
    contributions: list  # (masked contributor, kind label, amount, goods, date)
    grants: list  # (masked head name, amount, reason, decided_on)
    money_in: Decimal
    in_kind: Decimal
    money_out: Decimal
    closing: Decimal


def society_public_account(society: MutualAidSociety, year: int) -> PublicAccount:
    """The village notice board's yearly account: no ID numbers, names masked (张*丰)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    money = Contribution.objects.filter(society=society, kind=Contribution.Kind.MONEY)
    grant_qs = SocietyGrant.objects.filter(society=society)
    opening = ((money.filter(received_on__lt=start).aggregate(s=Sum("amount"))["s"] or ZERO)
               - (grant_qs.filter(decided_on__lt=start).aggregate(s=Sum("amount"))["s"] or ZERO))
    contribs = list(Contribution.objects.filter(society=society, received_on__range=(start, end))
                    .order_by("received_on", "id"))
    grant_rows = list(grant_qs.filter(decided_on__range=(start, end)).select_related("household")
                      .order_by("decided_on", "id"))
    money_in = sum((c.amount for c in contribs if c.kind == Contribution.Kind.MONEY), ZERO)
    in_kind = sum((c.amount for c in contribs if c.kind == Contribution.Kind.IN_KIND), ZERO)
    money_out = sum((g.amount for g in grant_rows), ZERO)
    return PublicAccount(
        society=society, year=year, opening=opening,
        contributions=[(mask_name(c.contributor), c.get_kind_display(), c.amount, c.goods, c.received_on)
                       for c in contribs],
        grants=[(mask_name(g.household.head_name), g.amount, g.reason, g.decided_on) for g in grant_rows],
        money_in=money_in, in_kind=in_kind, money_out=money_out, closing=opening + money_in - money_out)


def helpers(*, user):
    return Helper.objects.restrict(user, Action.PAIRING_VIEW).select_related("township")


def pairings(*, user):
    return Pairing.objects.restrict(user, Action.PAIRING_VIEW).select_related("helper", "household", "village")


def contacts(*, user, pairing: Pairing):
    return Contact.objects.restrict(user, Action.PAIRING_VIEW).filter(pairing=pairing)


def pairing_groups(on: dt.date | None = None) -> list[tuple[str, str]]:
    """The policy's groups to pair (param charity.pairing_groups): (category, hukou type or '')."""
    raw = params.get("charity.pairing_groups", on)
    groups = []
    for item in filter(None, (c.strip() for c in raw.split(","))):
        category, _, hukou = item.partition("@")
        groups.append((category, hukou))
    return groups


def unpaired_households(*, user, on: dt.date | None = None):
    """Households of the policy's groups (open entitlement of the category, urban/rural where given) without an
    active pairing, within the user's reach."""
    # one correlated EXISTS (a semi-join the planner runs by index for a township and by hash for a county); the
    # urban/rural condition reads the outer household: a join inside the set read the city's households (0.4 s)
    q = Q(pk__in=[])
    for category, hukou in pairing_groups(on):
        part = Q(category=category)
        if hukou:
            part &= Q(Exact(OuterRef("hukou_type"), hukou))
        q |= part
    wanted = Exists(Entitlement.objects.open().filter(q, household_id=OuterRef("pk")))
    paired = Pairing.objects.active(on).values("household_id")
    return (Household.objects.restrict(user, Action.CASE_VIEW)
            .filter(wanted).exclude(pk__in=paired).select_related("township", "village")
            .order_by("township_id", "village_id", "head_name"))


def unpaired_per_township(queryset) -> list[dict]:
    """One grouped statement: how many unpaired households each township in reach has (name, id, n)."""
    return list(queryset.order_by().values("township_id", "township__name", "township__code")
                .annotate(n=Count("id")).order_by("township__code"))


def per_township(rows) -> list[tuple[Region, list]]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.township].append(row)
    return sorted(grouped.items(), key=lambda kv: kv[0].code)


def providers(*, user):
    return Provider.objects.restrict(user, Action.SERVICE_VIEW)


def contracts(*, user):
    return ServiceContract.objects.restrict(user, Action.SERVICE_VIEW).select_related("provider", "county")


def budget_state(contract: ServiceContract, on: dt.date | None = None) -> str:
    """'over' is impossible (a CHECK); 'warning' from the warning ratio (param) on; else 'ok'."""
    ratio = params.get("services.budget_warning_ratio", on)
    return "warning" if contract.spent >= contract.budget * ratio else "ok"


def orders(*, user):
    return ServiceOrder.objects.restrict(user, Action.SERVICE_VIEW).select_related(
        "contract__provider", "person", "household", "township", "village")


def records(*, user):
    return ServiceRecord.objects.restrict(user, Action.SERVICE_VIEW).select_related("order__person", "order")


def coverage_levels(on: dt.date | None = None) -> list[str]:
    return [c.strip() for c in params.get("services.coverage_self_care", on).split(",") if c.strip()]


def coverage_gaps(*, user, on: dt.date | None = None):
    """§10 coverage: every supported dispersed 特困 person whose self-care level is in the param list (半失能,
    全失能) must have an active service order; the ones without are the gaps."""
    covered = ServiceOrder.objects.active(on).values("person_id")
    return (TekunProfile.objects.restrict(user, Action.CASE_VIEW)
            .filter(status=TekunProfile.Status.SUPPORTED, form=TekunProfile.Form.DISPERSED,
                    self_care_level__in=coverage_levels(on))
            .exclude(person_id__in=covered).select_related("person", "household", "township", "village")
            .order_by("township_id", "village_id"))
