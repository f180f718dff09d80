"""Reports and exports may read from a PostgreSQL read replica.

Code that only reads for a report or an export runs inside `reporting()`; while it does, the router sends its
reads to the database alias named by `settings.JIUZHU_READ_REPLICA` (set when DATABASE_REPLICA_URL is given)
— if that alias is configured. Writes, and every read outside `reporting()`, go to the default database, so a
page never reads its own write from a lagging replica. Without a replica nothing changes.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

_reporting: ContextVar[bool] = ContextVar("jiuzhu_reporting", default=False)


@contextmanager
def reporting():
    """Reads inside this block may go to the read replica."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def replica_alias() -> str | None:
    alias = getattr(settings, "JIUZHU_READ_REPLICA", "")
    return alias if alias and alias in connections.databases else None


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reporting.get():
            return replica_alias()
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the default database

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None if db == "default" else db != getattr(settings, "JIUZHU_READ_REPLICA", "")
