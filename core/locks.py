"""Named locks for the few writes that must not run twice at once (a yearly sequence number, a decision
over rows that do not exist yet, so there is nothing to SELECT ... FOR UPDATE)."""
from django.db import connection


def hold(name: str) -> None:
    """Take the lock `name` until the current transaction ends; another transaction asking for the same name
    waits. PostgreSQL: a transaction-level advisory lock. SQLite already lets one writer at a time."""
    if not connection.in_atomic_block:
        raise RuntimeError("core.locks.hold needs a transaction (transaction.atomic)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
