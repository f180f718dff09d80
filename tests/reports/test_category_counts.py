"""The charts' households per paid category over 12 months: one grouped query (issue #22, the city's 趋势图表 took
12 queries of ~70 ms) giving exactly what one `active_in` count per month gives."""
import datetime as dt

import pytest
from django.db.models import Count

from cases.models import Entitlement
from core.months import add_months
from reports import monthly, selectors
from tests.reports.test_indicators import entitled

pytestmark = pytest.mark.django_db
MONTHS = [add_months(dt.date(2026, 11, 1), -k) for k in range(11, -1, -1)]


def _per_month(user, region):
    """The former computation: one grouped query per month."""
    out = []
    for m in MONTHS:
        qs = monthly._place(Entitlement.objects.restrict(user, monthly._entitlement_action(user))
                            .filter(category__in=[c for c, _ in monthly.CATEGORIES]), region)
        out.append((m, dict(qs.active_in(m).order_by().values_list("category").annotate(n=Count("pk")))))
    return out


@pytest.fixture
def spread():
    """Entitlements starting, ending, suspended and ended at different months, in two counties."""
    spans = [("dibao", dt.date(2025, 12, 1), None, "active"), ("dibao", dt.date(2026, 3, 1), dt.date(2026, 6, 1), "active"),
             ("tekun_dispersed", dt.date(2026, 5, 1), None, "active"), ("dibao", dt.date(2026, 2, 1), None, "ended"),
             ("tekun_central", dt.date(2026, 11, 1), None, "phasing_out"), ("dibao", dt.date(2026, 7, 1), None, "suspended"),
             ("dibao", dt.date(2027, 1, 1), None, "active"), ("dibao", dt.date(2024, 1, 1), dt.date(2025, 11, 1), "active")]
    for village in ("410823101200", "410825101201"):
        for category, start, end, status in spans:
            _, ent = entitled(village=village, category=category)
            Entitlement.objects.filter(pk=ent.pk).update(start_month=start, end_month=end, status=status)


@pytest.mark.parametrize("username", ["shi_admin", "wuzhi_minzheng", "zhandian_jingban", "wenxian_minzheng"])
def test_one_query_equals_one_query_per_month(users, spread, username, django_assert_num_queries):
    user = users[username]
    region = selectors.home_region(user)
    expected = _per_month(user, region)
    with django_assert_num_queries(1):
        got = monthly.category_counts(user=user, region=region, months=MONTHS)
    assert got == expected
    assert any(row for _, row in got)  # the data reaches every scope asked


def test_city_counts_move_with_the_months(users, spread):
    user = users["shi_admin"]
    got = dict(monthly.category_counts(user=user, region=selectors.home_region(user), months=MONTHS))
    assert got[dt.date(2025, 12, 1)].get("dibao", 0) + 2 == got[dt.date(2026, 3, 1)].get("dibao", 0)
