"""Transactional tests (live_server, several connections) end with a flush of the test database, which the
append-only audit trail refuses. These fixtures lift the audit guard only for that flush and put it back
right after. Import both into a test module: `from tests.funds.flushable import audit_guard_back, flushable_db`.
"""
from importlib import import_module

import pytest
from django.db import connection

_core = import_module("core.migrations.0002_audit_append_only")
_funds = import_module("funds.migrations.0002_lines_immutable_after_draft")


def _lift():
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_truncate")
        elif connection.vendor == "sqlite":
            for sql in _core.SQLITE_DOWN:
                c.execute(sql)


def _restore():
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_truncate")
        elif connection.vendor == "sqlite":
            for sql in _core.SQLITE_UP:
                c.execute(sql.replace("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", 1))


@pytest.fixture
def audit_guard_back(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        _restore()


@pytest.fixture
def flushable_db(audit_guard_back, transactional_db, django_db_serialized_rollback):
    """transactional_db whose final flush works; regions (data migrations) are restored for the next test.
    On SQLite the trail is emptied under the lifted guard and the guard restored at once (a flush of an empty
    table fires no row trigger); on PostgreSQL the TRUNCATE guard comes back in audit_guard_back."""
    yield
    _lift()
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("DELETE FROM core_auditevent")
            # finalised payment lines refuse DELETE (funds migration 0002): empty them under a lifted guard too
            for sql in _funds.SQLITE_DOWN:
                c.execute(sql)
            c.execute("DELETE FROM funds_paymentline")
            for sql in _funds.SQLITE_UP:
                c.execute(sql)
        _restore()
