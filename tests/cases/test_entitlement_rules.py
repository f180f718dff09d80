"""The open / in-force / payable rules of an entitlement are defined once (cases.entitlements.models): the
queryset methods and the SQL fragments that funds and monitoring run set-based must pick the same rows."""
import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection

from cases.models import Entitlement
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

MONTH = dt.date(2026, 6, 1)


def _ids(where: str, params=None) -> set[int]:
    with connection.cursor() as cur:
        cur.execute(f"SELECT e.id FROM cases_entitlement e WHERE {where}", params or {})
        return {row[0] for row in cur.fetchall()}


def test_sql_fragments_pick_the_rows_the_queryset_picks():
    starts = (dt.date(2026, 1, 1), MONTH, dt.date(2026, 7, 1))
    ends = (None, dt.date(2026, 5, 1), MONTH, dt.date(2026, 12, 1))
    for status, start, end in itertools.product(Entitlement.Status.values, starts, ends):
        # one household per row: at most one open entitlement per household and category
        Entitlement.objects.create(household=HouseholdFactory(), category=Entitlement.Category.DIBAO, status=status,
                                   persons_covered=1, monthly_amount=Decimal("100.00"), start_month=start,
                                   end_month=end, county_id="410823", township_id="410823101",
                                   village_id="410823101200")
    assert Entitlement.objects.count() == len(Entitlement.Status.values) * len(starts) * len(ends)

    opened = set(Entitlement.objects.open().values_list("id", flat=True))
    in_force = set(Entitlement.objects.in_force().values_list("id", flat=True))
    payable = set(Entitlement.objects.active_in(MONTH).values_list("id", flat=True))
    assert payable < in_force < opened < set(Entitlement.objects.values_list("id", flat=True))
    assert not Entitlement.objects.filter(id__in=opened, status=Entitlement.Status.ENDED).exists()
    assert not Entitlement.objects.filter(id__in=in_force, status=Entitlement.Status.SUSPENDED).exists()

    assert _ids(Entitlement.open_sql("e")) == opened
    assert _ids(Entitlement.in_force_sql("e")) == in_force
    assert _ids(Entitlement.payable_sql("e", "%(month)s"), {"month": MONTH}) == payable
