"""One person, one registration, on PostgreSQL under parallel writes: the persons' blind index is kept unique by an
exclusion constraint on a hash index (cases migration 0020), not a unique B-tree — two households registered at the
same moment with the same ID number, or two county imports sharing a member, leave exactly one registration."""
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cases.households import services
from cases.models import Household, Person
from core.jobs import JobStatus
from core.models import Region
from imports import services as imports
from imports.models import HouseholdImport
from tests.factories import make_id
from tests.imports.helpers import row, xlsx
from tests.threads import parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for concurrent transactions")


def test_the_constraint_is_an_exclusion_on_a_hash_index_and_no_btree_is_left():
    with connection.cursor() as cur:
        cur.execute("SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'person_id_index_unique'")
        assert cur.fetchall() == [("x", "EXCLUDE USING hash (id_index WITH =)")]
        cur.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'cases_person' AND indexdef LIKE '%(id_index%'")
        assert [r[0] for r in cur.fetchall()] == ["person_id_index_unique"]


def test_parallel_registrations_of_one_id_number_keep_one(users, monkeypatch):
    """Four caseworkers register four households at the same moment, each with the same member: all four pass the
    duplicate look-up before any writes (held at a barrier just before the write), the constraint lets one through
    and the others get the duplicate message."""
    village = Region.objects.get(code="410823101201")
    ident = make_id()
    checked, write = threading.Barrier(4, timeout=60), services._write_person

    def write_when_all_checked(person, save):
        if person.name == "同一人":
            checked.wait()
        write(person, save)

    monkeypatch.setattr(services, "_write_person", write_when_all_checked)

    def register(i):
        return services.household_create(
            actor=users["zhandian_jingban"], village=village, address=f"何营东村{i}组", hukou_type="rural",
            members=[services.MemberData(name=f"户主{i}", id_number=make_id(), relationship="head"),
                     services.MemberData(name="同一人", id_number=ident, relationship="spouse")])

    results = parallel(4, register)
    created = [r for r in results if isinstance(r, Household)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(created) == 1 and len(refused) == 3, results
    assert all(services.DUPLICATE_ID in e.messages for e in refused), [e.messages for e in refused]
    assert Person.objects.with_id_number(ident).get().household_id == created[0].pk
    assert Household.objects.filter(address__startswith="何营东村").count() == 1  # the others wrote nothing


def test_two_imports_sharing_a_member_at_the_same_moment_write_one(users, monkeypatch):
    """Two township files validated at the same moment (each held after its validation until both are validated)
    both find the shared member unregistered; the first to write keeps it, the other import fails whole (its other
    households are not written either)."""
    validated, build = threading.Barrier(2, timeout=60), imports.planning.build

    def build_then_wait(*args, **kwargs):
        plan = build(*args, **kwargs)
        validated.wait()
        return plan

    monkeypatch.setattr(imports.planning, "build", build_then_wait)
    shared = make_id()
    files = [xlsx([row(f"F{i}", f"户主{i}", make_id(), "户主", address=f"詹店镇何营东村{i}组"),
                   row(f"F{i}", "同一人", shared, "妻", address=f"詹店镇何营东村{i}组"),
                   row(f"G{i}", f"另一户{i}", make_id(), "户主", address=f"詹店镇何营东村第二{i}组")])
             for i in range(2)]
    jobs = [imports.import_request(actor=users["zhandian_jingban"], name=f"f{i}.xlsx", data=data, dry_run=False,
                                   enqueue=False).pk for i, data in enumerate(files)]
    parallel(2, lambda i: imports.import_run(jobs[i]))
    done = sorted(HouseholdImport.objects.filter(pk__in=jobs), key=lambda j: j.status != JobStatus.SUCCEEDED)
    assert [j.status for j in done] == [JobStatus.SUCCEEDED, JobStatus.FAILED]
    assert done[1].error == imports.REGISTERED_MEANWHILE and done[1].created_ids in (None, [])
    assert Person.objects.with_id_number(shared).count() == 1
    assert Household.objects.filter(note="批量导入").count() == 2  # the winner's two households, none of the other's
