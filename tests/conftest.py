import pytest
from django.core.cache import cache

from core import keys, params
from tests.browser.fixtures import *  # noqa: F401,F403  (login_as, shot, browser, ...: see that module)


@pytest.fixture(autouse=True)
def _fresh_cache_and_keys():
    cache.clear()
    params._local.clear()
    keys.reset_keyring()
    yield
    keys.reset_keyring()


@pytest.fixture
def users(db):
    """The demo users (password jiuzhu-demo-2026), keyed by username."""
    import io

    from accounts.models import User
    from demo import users as demo

    demo.seed(io.StringIO())
    return {u.username: u for u in User.objects.select_related("region")}


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_audit_trigger():
    """Transactional tests (`transactional_db`, `live_server`) end with Django's flush, which the
    append-only audit trail and the finalised payment lines refuse. Only for that flush, inside its own
    transaction, switch every trigger off (PostgreSQL: session_replication_role; SQLite: drop and recreate);
    they are back on before it commits."""
    from django.db import transaction
    from django.db.backends.base.operations import BaseDatabaseOperations

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        connection = self.connection
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # append-only and immutability triggers (audit trail, finalised payment lines) sleep
                    # for this transaction only; the test role is a superuser
                    cursor.execute("SET LOCAL session_replication_role = replica")
                    original(self, sql_list)
                elif connection.vendor == "sqlite":
                    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
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
    bulk instead, and only into tables the flush left empty: tables already filled (content types and
    permissions that flush's post_migrate recreated, or no flush yet) are left alone.
    Single database alias assumed (the snapshot is kept per backend class)."""
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
            empty = {}

            def is_empty(model):
                if model not in empty:
                    empty[model] = not model._base_manager.using(alias).exists()
                return empty[model]

            with self.connection.constraint_checks_disabled():
                for model, objs in by_model.items():
                    if is_empty(model):
                        model._base_manager.using(alias).bulk_create(objs, batch_size=500)
                for obj in one_by_one:
                    if is_empty(type(obj.object)):
                        obj.save()
            self.connection.check_constraints(table_names=[m._meta.db_table for m, e in empty.items() if e])

    original_serialize = BaseDatabaseCreation.serialize_db_to_string

    def serialize_db_to_string(self):
        # Django keeps the snapshot on the connection object, but once Playwright runs its event loop in
        # this thread the ORM hands out new connection objects; keep it where every one of them sees it.
        data = original_serialize(self)
        type(self.connection)._test_serialized_contents = data
        return data

    BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string
    BaseDatabaseCreation.serialize_db_to_string = serialize_db_to_string
    yield
    BaseDatabaseCreation.deserialize_db_from_string = original
    BaseDatabaseCreation.serialize_db_to_string = original_serialize
