"""core.sqlmemo: several scoped aggregates read with one statement, compiled once per key."""
import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from cases.models import Household
from core import sqlmemo
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_aggregates_read_current_data_with_one_statement_and_skip_parts_that_ask_nothing():
    PersonFactory()
    calls = []

    def build():
        calls.append(1)
        homes = Household.objects.all()
        return [(homes, {"all": Count("pk")}), (homes.none(), {"none": Count("pk")}),
                (Household.objects.filter(pk__lt=0), {})]  # asks nothing: no row of its own

    key = ("test-sqlmemo", 1)
    with CaptureQueriesContext(connection) as queries:
        assert sqlmemo.aggregates(key, build) == {"all": 1, "none": 0}
    assert len(queries) == 1
    PersonFactory()
    assert sqlmemo.aggregates(key, build) == {"all": 2, "none": 0}  # current data, SQL compiled once
    assert calls == [1]
