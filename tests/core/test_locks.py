"""core.locks.retry_deadlock: a write PostgreSQL ended to break a deadlock is made again, in a savepoint of its own,
and only that: any other database error, or a deadlock every time, reaches the caller."""
import pytest
from django.db import OperationalError

from core import locks

pytestmark = pytest.mark.django_db


class _DriverError(Exception):
    def __init__(self, pgcode):
        super().__init__(pgcode)
        self.pgcode = pgcode


def _error(pgcode: str) -> OperationalError:
    exc = OperationalError("from the driver")
    exc.__cause__ = _DriverError(pgcode)  # as Django wraps psycopg2's error
    return exc


def _write(*failures):
    calls = []

    def write():
        calls.append(1)
        if len(calls) <= len(failures):
            raise failures[len(calls) - 1]
        return "written"
    return write, calls


def test_a_deadlock_is_written_again():
    write, calls = _write(_error("40P01"), _error("40P01"))
    assert locks.retry_deadlock(write) == "written"
    assert len(calls) == 3


def test_another_operational_error_is_not_retried():
    write, calls = _write(_error("57014"))  # query_canceled
    with pytest.raises(OperationalError):
        locks.retry_deadlock(write)
    assert len(calls) == 1


def test_a_deadlock_every_time_reaches_the_caller_after_the_attempts():
    write, calls = _write(*[_error("40P01")] * 5)
    with pytest.raises(OperationalError):
        locks.retry_deadlock(write, attempts=3)
    assert len(calls) == 3
