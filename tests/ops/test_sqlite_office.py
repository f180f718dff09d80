"""Issue 14 §2: SQLite fit for one office. WAL, a 30 s busy timeout and IMMEDIATE transactions
(jiuzhu.dbconfig): 40 concurrent page reads while a long write transaction runs get no error."""
import json

from jiuzhu import dbconfig
from tests.ops.sqlite_site import copy_of, django_run, sqlite_url


def test_sqlite_gets_wal_timeout_and_immediate_transactions():
    db = dbconfig.sqlite_options({"ENGINE": "django.db.backends.sqlite3", "NAME": "x.sqlite3"})
    assert db["OPTIONS"]["timeout"] == 30
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    pg = {"ENGINE": "django.db.backends.postgresql", "NAME": "jiuzhu"}
    assert dbconfig.sqlite_options(pg) is pg, "PostgreSQL is left alone"


def test_persistent_connections_only_under_gunicorn():
    """Issue 14 §7: runserver (a thread per request) and every other process close their connection after each
    request (0); gunicorn's fixed sync workers keep theirs; DATABASE_CONN_MAX_AGE overrides both."""
    assert dbconfig.conn_max_age({}, ["manage.py", "runserver"]) == 0
    assert dbconfig.conn_max_age({}, ["/usr/bin/celery", "-A", "jiuzhu", "worker"]) == 0
    assert dbconfig.conn_max_age({}, ["/venv/bin/gunicorn", "jiuzhu.wsgi:application"]) == 60
    assert dbconfig.conn_max_age({"DATABASE_CONN_MAX_AGE": "30"}, ["manage.py", "runserver"]) == 30
    assert dbconfig.conn_max_age({"DATABASE_CONN_MAX_AGE": "0"}, ["gunicorn"]) == 0


def test_settings_apply_the_options_to_a_sqlite_file(sqlite_template, tmp_path):
    db = copy_of(sqlite_template, tmp_path / "office.sqlite3")
    out = django_run("from django.conf import settings; from django.db import connection; "
                     "c = connection.cursor(); c.execute('PRAGMA journal_mode'); "
                     "d = settings.DATABASES['default']; "
                     "print(c.fetchone()[0], d['CONN_MAX_AGE'], d['OPTIONS']['transaction_mode'], d['OPTIONS']['timeout'])",
                     sqlite_url(db))
    assert out.split() == ["wal", "0", "IMMEDIATE", "30"]


def test_forty_concurrent_page_reads_during_a_long_write_get_no_error(sqlite_template, tmp_path):
    db = copy_of(sqlite_template, tmp_path / "office.sqlite3")
    out = django_run("from tests.ops import sqlite_load; sqlite_load.main(readers=40, rounds=3, write_seconds=6)",
                     sqlite_url(db), timeout=300)
    result = json.loads(out.strip().splitlines()[-1])
    assert result["journal"] == "wal"
    assert result["requests"] == 40 * 3 * 3
    assert result["error_count"] == 0, result["errors"]
    assert result["during_write"] >= 40, f"too few reads overlapped the write to prove anything: {result}"
