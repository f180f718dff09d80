"""Named locks for the few writes that must not run twice at once (a yearly sequence number, a decision
over rows that do not exist yet, so there is nothing to SELECT ... FOR UPDATE)."""
from django.db import OperationalError, connection, transaction


def hold(name: str) -> None:
    """Take the lock `name` until the current transaction ends; another transaction asking for the same name
    waits. PostgreSQL: a transaction-level advisory lock. SQLite already lets one writer at a time."""
    if not connection.in_atomic_block:
        raise RuntimeError("core.locks.hold needs a transaction (transaction.atomic)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])


def is_deadlock(exc: BaseException) -> bool:
    """Whether PostgreSQL ended this statement to break a deadlock (SQLSTATE 40P01)."""
    return getattr(exc.__cause__, "pgcode", None) == "40P01"


def retry_deadlock(write, attempts: int = 4):
    """`write()` in a savepoint, made again (up to `attempts` in all) when PostgreSQL ended it to break a deadlock.

    An exclusion constraint checks a row after writing it (the persons' blind index, cases migration 0020): two
    transactions writing the same value at the same moment each wait for the other, and PostgreSQL ends one of
    them after `deadlock_timeout`. Written again, it waits for the other to finish, then is refused with the
    IntegrityError the caller turns into its message — or written, if the other rolled back."""
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return write()
        except OperationalError as exc:
            if attempt == attempts - 1 or not is_deadlock(exc):
                raise
