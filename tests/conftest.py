import pytest
from django.core.cache import cache

from core import keys


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


@pytest.fixture(scope="session", autouse=True)
def _audit_trail_flushable_between_transactional_tests():
    """The audit trail refuses DELETE/TRUNCATE (core migration 0002), which is exactly what Django's flush
    does after a transactional test (live_server browser tests, real Celery workers). Lift the triggers for
    that flush only, and put them back at once; plain `django_db` tests roll back and never need this."""
    from importlib import import_module

    from django.db import connections
    from django.test import TransactionTestCase

    triggers = import_module("core.migrations.0002_audit_append_only")
    original = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        for alias in self._databases_names(include_mirrors=False):
            with connections[alias].schema_editor() as editor:
                triggers.down(None, editor)
        try:
            original(self)
        finally:
            for alias in self._databases_names(include_mirrors=False):
                with connections[alias].schema_editor() as editor:
                    triggers.up(None, editor)

    TransactionTestCase._fixture_teardown = _fixture_teardown
    yield
    TransactionTestCase._fixture_teardown = original
