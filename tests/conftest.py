import pytest
from django.core.cache import cache

from core import keys
from tests.browser.fixtures import *  # noqa: F401,F403  (login_as, shot, browser, ...: see that module)


@pytest.fixture(autouse=True)
def _fresh_cache_and_keys():
    cache.clear()
    keys.reset_keyring()
    yield
    keys.reset_keyring()


@pytest.fixture
def users(db):
    """The demo users (password jiuzhu-demo-2026), keyed by username."""
    import io

    from accounts import demo
    from accounts.models import User

    demo.seed(io.StringIO())
    return {u.username: u for u in User.objects.select_related("region")}


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_audit_trigger():
    """Transactional tests (`transactional_db`, `live_server`) end with Django's flush, which the
    append-only audit triggers refuse. Only for that flush, inside its own transaction, switch them off
    (PostgreSQL: DISABLE TRIGGER USER; SQLite: drop and recreate); they are back on before it commits."""
    from django.db import transaction
    from django.db.backends.base.operations import BaseDatabaseOperations

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        connection = self.connection
        table = "core_auditevent"
        if not any(table in sql for sql in sql_list):
            return original(self, sql_list)
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                    original(self, sql_list)
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
                elif connection.vendor == "sqlite":
                    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                                   [table])
                    triggers = cursor.fetchall()
                    for name, _ in triggers:
                        cursor.execute(f'DROP TRIGGER "{name}"')
                    original(self, sql_list)
                    for _, sql in triggers:
                        cursor.execute(sql)
                else:
                    original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True, scope="session")
def _fast_serialized_rollback():
    """`serialized_rollback=True` (browser and real-worker tests) reloads the migration data — 2,147
    regions, standards, ... — before each test. Django saves row by row (~10 s here); insert per model in
    bulk instead. Rows already present are left alone, as Django's save() would leave them equal."""
    from collections import defaultdict
    from io import StringIO

    from django.core import serializers
    from django.db import transaction
    from django.db.backends.base.creation import BaseDatabaseCreation

    original = BaseDatabaseCreation.deserialize_db_from_string

    def deserialize_db_from_string(self, data):
        alias = self.connection.alias
        by_model, one_by_one = defaultdict(list), []
        for obj in serializers.deserialize("json", StringIO(data), using=alias):
            if obj.m2m_data or obj.object._meta.parents:
                one_by_one.append(obj)
            else:
                by_model[type(obj.object)].append(obj.object)
        with transaction.atomic(using=alias):
            with self.connection.constraint_checks_disabled():
                for model, objs in by_model.items():
                    model._base_manager.using(alias).bulk_create(objs, batch_size=500, ignore_conflicts=True)
                for obj in one_by_one:
                    obj.save()
            self.connection.check_constraints(
                table_names=[m._meta.db_table for m in by_model] + [o.object._meta.db_table for o in one_by_one])

    BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string
    yield
    BaseDatabaseCreation.deserialize_db_from_string = original
