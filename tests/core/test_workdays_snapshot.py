"""With a shared cache, the city's calendar overrides are kept per process under a version in the shared cache
(core.workdays._current): every write sets a new version, so a change is seen on the next calendar read, here
and in every other process; within one request the table is read at most once."""
import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import context, workdays
from core.models import WorkdayOverride

pytestmark = pytest.mark.django_db
D = dt.date
FAR = D(2099, 3, 2)  # a Monday in a year chinesecalendar does not know


@pytest.fixture
def shared(settings):
    settings.JIUZHU_SHARED_CACHE = True
    workdays._snapshot["version"] = None
    yield
    workdays._snapshot["version"] = None


def _queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, len(ctx.captured_queries)


def test_a_write_is_seen_on_the_next_read(shared, users):
    assert workdays.is_workday(FAR) and not workdays.year_known(2099)
    workdays.workday_override_write(actor=users["shi_admin"], date=FAR, is_workday=False, name="测试假日")
    assert not workdays.is_workday(FAR) and workdays.year_known(2099)
    row = WorkdayOverride.objects.get(date=FAR)
    row.is_workday, row.name = True, "改回上班"
    row.save()  # any save through the model sets a new version too
    assert workdays.is_workday(FAR)
    workdays.workday_override_remove(actor=users["shi_admin"], date=FAR)
    assert not workdays.year_known(2099)


def test_another_processs_write_is_seen_through_the_version(shared, users):
    assert workdays.is_workday(FAR)
    _, n = _queries(lambda: workdays.is_workday(FAR))
    assert n == 0  # the snapshot serves while the version is unchanged
    # another process writes (no signal here) and sets a new version in the shared cache
    WorkdayOverride.objects.bulk_create([WorkdayOverride(date=FAR, is_workday=False, name="外进程",
                                                         created_by=users["shi_admin"])])
    assert workdays.is_workday(FAR)  # same version: this process cannot know yet
    cache.set(workdays.VERSION_KEY, "set-by-another-process", None)
    assert not workdays.is_workday(FAR)


def test_a_lost_version_reads_the_table_again(shared, users):
    assert workdays.is_workday(FAR)
    WorkdayOverride.objects.bulk_create([WorkdayOverride(date=FAR, is_workday=False, name="x",
                                                         created_by=users["shi_admin"])])
    cache.clear()  # Redis restarted or the key evicted
    assert not workdays.is_workday(FAR)


def test_the_table_is_read_at_most_once_per_request(shared, users):
    token = context.request_serial.set(10**9)
    try:
        (first, n1) = _queries(lambda: (workdays.unknown_years(D(2098, 6, 1)), workdays.is_workday(FAR)))
        cache.set(workdays.VERSION_KEY, "changed-meanwhile", None)
        (_, n2) = _queries(lambda: workdays.is_workday(FAR))
    finally:
        context.request_serial.reset(token)
    assert first == ([2098, 2099], True) and n1 == 1 and n2 == 0
    _, n3 = _queries(lambda: workdays.is_workday(FAR))  # next request (none here): the new version is read
    assert n3 == 1


def test_without_a_shared_cache_every_calendar_reads_the_table(settings, users):
    settings.JIUZHU_SHARED_CACHE = False
    _, n = _queries(lambda: workdays.is_workday(FAR))
    assert n == 1
    WorkdayOverride.objects.bulk_create([WorkdayOverride(date=FAR, is_workday=False, name="x",
                                                         created_by=users["shi_admin"])])
    assert not workdays.is_workday(FAR)


def test_a_request_id_sent_by_the_client_is_not_the_request(shared, client, users):
    """Two requests with the same X-Request-ID header are two requests: the second reads the new version."""
    client.force_login(users["shi_admin"])
    headers = {"HTTP_X_REQUEST_ID": "same-id-every-time"}
    assert client.get("/", **headers).status_code == 200
    WorkdayOverride.objects.bulk_create([WorkdayOverride(date=FAR, is_workday=False, name="外进程",
                                                         created_by=users["shi_admin"])])
    cache.set(workdays.VERSION_KEY, "set-by-another-process", None)
    seen = []
    original = workdays._current

    def spy():
        snap = original()
        seen.append(snap["overrides"].get(FAR))
        return snap

    workdays._current = spy
    try:
        assert client.get("/", **headers).status_code == 200
    finally:
        workdays._current = original
    assert seen and seen[0] is False
