"""Blind-index columns compare bytes (core.sealing.BlindIndexField): on PostgreSQL every one of them, and every
raw staging table joined to them, has the "C" collation, so a comparison's or an import's join probes the
persons' unique index without calling strcoll — and can probe it at all (an index is usable only for comparisons
in its own collation)."""
import pytest
from django.apps import apps
from django.db import connection, models, transaction

from cases.models import Person
from core.sealing import BlindIndexField
from monitoring import matching
from monitoring.staging import StagingStream
from tests.factories import PersonFactory


def _blind_index_fields():
    return [(m, f) for m in apps.get_models() for f in m._meta.concrete_fields if isinstance(f, BlindIndexField)]


def test_every_64_character_index_column_is_a_blind_index_field():
    """A new blind-index column declared as a plain CharField would compare under the database's locale again
    (and its joins with the others could not use their indexes)."""
    plain = [f"{m._meta.label}.{f.name}" for m in apps.get_models() for f in m._meta.concrete_fields
             if type(f) is models.CharField and f.max_length == 64 and f.name.endswith("_index")]
    assert plain == []
    names = {f"{m._meta.label}.{f.name}" for m, f in _blind_index_fields()}
    assert {"cases.Person.id_index", "funds.PayeeAccount.card_index", "monitoring.StagingRow.id_index",
            "audit.StaffRelative.id_index", "cases.RelativeLink.id_index"} <= names


@pytest.mark.django_db
def test_blind_index_columns_have_the_c_collation_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite compares bytes (BINARY) already")
    with connection.cursor() as cursor:
        for model, field in _blind_index_fields():
            cursor.execute("SELECT collation_name, character_maximum_length FROM information_schema.columns "
                           "WHERE table_name = %s AND column_name = %s", [model._meta.db_table, field.column])
            assert cursor.fetchone() == ("C", 64), f"{model._meta.label}.{field.name}"


@pytest.mark.django_db
def test_the_comparison_staging_table_probes_the_persons_hash_index():
    """The staging table's column is declared in raw SQL: in any other collation than the persons' column the
    probe plan of a small file could use neither of the persons' indexes on id_index and would scan the registry
    once per row. The probe uses the hash index (cases migrations 0019, 0020)."""
    if connection.vendor != "postgresql":
        pytest.skip("the staging table is PostgreSQL's")
    person = PersonFactory()
    with transaction.atomic():  # a savepoint inside the test's transaction: the table goes with its rollback
        stream = StagingStream(run_id=999_001)
        stream.feed([(2, person.id_index), (3, "0" * 64)], 0)
        ref = stream.finish(2)
        with connection.cursor() as cursor:
            cursor.execute("SELECT collation_name FROM information_schema.columns "
                           "WHERE table_name = %s AND column_name = 'id_index'", [ref.table])
            assert cursor.fetchone() == ("C",)
            cursor.execute("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; "
                           "SET LOCAL enable_seqscan = off")
            names = {"staging": ref.table, "where": "", "person": Person._meta.db_table}
            cursor.execute("EXPLAIN " + matching.MATCH_SQL.format(**names))
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "person_id_index_unique" in plan, plan  # cases 0020: the hash index, one bucket page a probe
            cursor.execute(matching.MATCH_SQL.format(**names))
            assert [(r[0], r[2]) for r in cursor.fetchall()] == [(2, person.pk)]
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_file_under_a_third_of_the_registry_is_probed_a_larger_one_hash_joined():
    """The staging's plan choice (monitoring.staging): probes into the hash index while the file is under a third
    of the registry's estimated size (200,000 vehicles against 1,000,000 persons: 0.25 s against 0.39 s for the
    hash join), the planner's hash join from a third on."""
    if connection.vendor != "postgresql":
        pytest.skip("the plan choice is PostgreSQL's")
    household = PersonFactory().household
    for _ in range(29):
        PersonFactory(household=household, relationship=Person.Relationship.OTHER)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Person._meta.db_table}")
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Person._meta.db_table])
        persons = int(cursor.fetchone()[0])
    assert persons >= 30
    third = persons // 3 + (1 if persons % 3 else 0)  # the smallest count that is not under a third
    for count, probed in ((third - 1, True), (third, False)):
        with transaction.atomic():
            stream = StagingStream(run_id=999_002)
            stream.feed([(n, f"{n:064x}") for n in range(count)], 0)
            assert stream.finish(count).probe is probed, (count, persons)
            transaction.set_rollback(True)
