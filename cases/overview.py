"""Counts for the home page across the rooms of cases."""
from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Count, Q

from accounts.scope import Action, scope_key
from cases.models import Entitlement, Household
from core import categories

HOME_COUNTS_SECONDS = 300


def home_counts(*, user) -> dict[str, int]:
    """Households and paid entitlements in the user's scope, for the home page.

    Counting a city's 400,000 households on every page view is what a summary must not do: the counts
    are cached per scope (the user's region plus any explicit grants) for five minutes.
    """


    # everything the two restricted querysets depend on (accounts.scope.scope_key); city-wide reach reads no grants
    scope = scope_key(user, Action.CASE_VIEW, Household, Entitlement)
    key = f"home-counts:v2:{hashlib.sha1(repr(scope).encode()).hexdigest()[:24]}"
    counts = cache.get(key)
    if counts is None:
        households = Household.objects.restrict(user, Action.CASE_VIEW)
        paid = Entitlement.objects.restrict(user, Action.CASE_VIEW).in_force()
        counts = {
            "households": households.count(),
            **paid.aggregate(
                dibao=Count("pk", filter=Q(category=Entitlement.Category.DIBAO)),
                tekun=Count("pk", filter=Q(category__in=categories.TEKUN)),
            ),
        }
        cache.set(key, counts, HOME_COUNTS_SECONDS)
    return counts
