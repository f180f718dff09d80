"""imports.lookup.registered: which of a file's blind indexes are registered. PostgreSQL chooses between one hash
join (a file of more than a tenth of the registry) and probes of the persons' hash index (a smaller file, as at
province scale); both must find exactly the registered ones with their fields."""
import pytest
from django.db import connection

from cases.models import Person
from core import idnumbers
from imports import lookup
from tests.factories import HouseholdFactory, PersonFactory, make_id

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("probe", [True, False, None], ids=["probe", "hash", "by-size"])
def test_registered_finds_exactly_the_registered_ids_either_way(probe, monkeypatch):
    household = HouseholdFactory()
    people = [PersonFactory(household=household, village=household.village, township=household.township,
                            county=household.county) for _ in range(3)]
    strangers = [idnumbers.index(make_id()) for _ in range(50)]
    if probe is not None:
        if connection.vendor != "postgresql":
            pytest.skip("the plan is chosen on PostgreSQL only")
        monkeypatch.setattr(lookup, "_probe", lambda cursor, count: probe)
    known = lookup.registered(strangers[:25] + [p.id_index for p in people] + strangers[25:])
    assert set(known) == {p.id_index for p in people}
    for p in people:
        assert known[p.id_index]["id"] == p.pk and known[p.id_index]["household_id"] == household.pk
    assert lookup.registered(strangers) == {}
    assert Person.objects.count() == 3
