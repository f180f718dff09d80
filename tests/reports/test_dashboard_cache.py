"""The aims dashboard kept for a few minutes (issue #22: the whole city's running month counted live took 13 s):
the same numbers as the live computation, the time they were computed on the page, one key per scope."""
import datetime as dt

import pytest

from reports import selectors
from tests.reports.test_views import late_app, login

pytestmark = pytest.mark.django_db
URL = "/reports/aims/?month=2026-11"


def _values(data):
    return {c.indicator.code: (c.value, c.previous, c.target, c.status) for a in data for c in a["cells"]}


def test_cached_dashboard_equals_live_and_is_reused_until_it_expires(users, settings, django_assert_num_queries):
    settings.REPORTS_AIMS_CACHE_SECONDS = 60
    late_app(users)
    user = users["wuzhi_minzheng"]
    region, month = selectors.home_region(user), dt.date(2026, 11, 1)
    live = selectors.dashboard(user=user, region=region, month=month)
    first, at = selectors.dashboard_cached(user=user, region=region, month=month)
    assert _values(first) == _values(live) and _values(live)["applications_late"][0] == 1
    late_app(users)  # a second late application: not seen while the stored numbers last
    with django_assert_num_queries(0):
        again, at_again = selectors.dashboard_cached(user=user, region=region, month=month)
    assert _values(again) == _values(first) and at_again == at
    assert [a["code"] for a in again] == [a["code"] for a in live]
    assert [a["red"] for a in again] == [a["red"] for a in live]
    settings.REPORTS_AIMS_CACHE_SECONDS = 0  # live again: the new application counts
    fresh, _ = selectors.dashboard_cached(user=user, region=region, month=month)
    assert _values(fresh)["applications_late"][0] == 2


def test_each_scope_and_region_has_its_own_key(users, settings):
    settings.REPORTS_AIMS_CACHE_SECONDS = 60
    late_app(users)  # in 詹店镇, 武陟县
    month = dt.date(2026, 11, 1)
    county, township = users["wuzhi_minzheng"], users["zhandian_jingban"]
    other = users["wenxian_minzheng"]
    got = {u.username: _values(selectors.dashboard_cached(user=u, region=selectors.home_region(u), month=month)[0])
           for u in (county, township, other)}
    assert got["wuzhi_minzheng"]["applications_late"][0] == 1
    assert got["wenxian_minzheng"]["applications_late"][0] == 0  # never the other county's stored numbers
    keys = {selectors._dashboard_key(u, selectors.home_region(u), month, dt.date(2026, 12, 3))
            for u in (county, township, other)}
    assert len(keys) == 3


def test_page_shows_when_its_numbers_were_computed(client, users, settings):
    settings.REPORTS_AIMS_CACHE_SECONDS = 60
    body = login(client, users, "wuzhi_minzheng").get(URL).content.decode()
    assert "数据更新于 " in body
    assert login(client, users, "wuzhi_minzheng").get("/api/v1/reports/aims/?month=2026-11").json()["computed_at"]
