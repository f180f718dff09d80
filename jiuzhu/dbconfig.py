"""Database connection settings that depend on how the process serves requests (read by jiuzhu.settings.base).

- `conn_max_age`: persistent connections only under gunicorn, whose sync workers are a fixed number of
  processes with one thread each (at most GUNICORN_WORKERS connections per container). Under `runserver`
  every request runs in a new thread, and a connection kept for 60 s per thread piled up to PostgreSQL's
  limit of 100 within a minute of an API fuzzer: there (and in Celery, management commands, tests) each
  request or task closes its connection (0). `DATABASE_CONN_MAX_AGE` overrides both.
- `sqlite_options`: WAL journal, 30 s busy timeout, IMMEDIATE transactions for SQLite (PostgreSQL untouched).
"""
from __future__ import annotations

import os
import sys

GUNICORN_CONN_MAX_AGE = 60
SQLITE_TIMEOUT_SECONDS = 30
SQLITE_INIT = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"


def under_gunicorn(argv: list[str] | None = None) -> bool:
    argv = sys.argv if argv is None else argv
    return bool(argv) and os.path.basename(argv[0]).startswith("gunicorn")


def conn_max_age(environ=None, argv: list[str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    value = environ.get("DATABASE_CONN_MAX_AGE", "")
    if value.strip():
        return int(value)
    return GUNICORN_CONN_MAX_AGE if under_gunicorn(argv) else 0


def sqlite_options(db: dict) -> dict:
    """Add the office-SQLite options to a DATABASES entry (a copy; other engines are returned as they are)."""
    if db.get("ENGINE") != "django.db.backends.sqlite3":
        return db
    options = {"timeout": SQLITE_TIMEOUT_SECONDS, "transaction_mode": "IMMEDIATE", "init_command": SQLITE_INIT,
               **db.get("OPTIONS", {})}
    return {**db, "OPTIONS": options}
