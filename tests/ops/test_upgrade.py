"""No data loss on upgrade: a database created by the code of BEFORE_MOVE (migrated, with demo data) is
migrated by the current checkout, and nothing is lost: every table keeps its rows, every sealed value (ID
numbers first) still decrypts to what the old code read, the demo logins still work, and the current models
need no migration that is not written.

The old code is extracted with `git archive` (needs the git history) and both run as subprocesses with the
current virtualenv, on a fresh database: an SQLite file by default, or a throw-away PostgreSQL database
`jiuzhu_upgrade_<pid>` when the test run's DATABASE_URL is PostgreSQL. Slow (a minute or two): left out of
`make test` (marker `upgrade`); `.ci/run` runs it on both databases with `-m upgrade`.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

pytestmark = pytest.mark.upgrade

ROOT = Path(__file__).resolve().parents[2]
BEFORE_MOVE = "47b0cc6"  # the last commit before the restructure of the product packages
DEMO_LOGIN = ("zhandian_jingban", "jiuzhu-demo-2026")
# Tables whose rows a migration may legitimately add to (never remove): the migration ledger, and the
# content types and permissions that post_migrate creates for models that are new or moved to another app.
MAY_GROW = {"django_migrations", "django_content_type", "auth_permission"}
TIMEOUT = 900  # seconds, per command (seed_demo is the slow one)

# Row counts of every table, by table name (independent of where the models live).
COUNT_ROWS = """
import json, os
from django.db import connection
counts = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        cursor.execute("SELECT COUNT(*) FROM " + connection.ops.quote_name(table))
        counts[table] = cursor.fetchone()[0]
open(os.environ["UPGRADE_OUT"], "w").write(json.dumps(counts))
"""

# sha256 of every decrypted sealed value: Person's ID numbers through Person.reveal_id_number(), and every
# column of every model that declares `sealed_fields`, keyed by table, primary key and column.
DUMP_SEALED = """
import hashlib, json, os
from django.apps import apps
def digest(reveal):
    try:
        value = reveal()
    except Exception as exc:  # reported per row by the test, not as a crash
        return f"cannot decrypt: {type(exc).__name__}"
    if value is None:
        return None
    # text columns give str; files and attachments bytes (SealedBytesMixin): the same plaintext either way
    return hashlib.sha256(value if isinstance(value, bytes) else value.encode()).hexdigest()
people = [m for m in apps.get_models() if m.__name__ == "Person" and hasattr(m, "reveal_id_number")]
assert len(people) == 1, people
ids = {str(p.pk): digest(p.reveal_id_number) for p in people[0]._base_manager.order_by("pk").iterator()}
sealed = {}
for model in apps.get_models():
    columns = getattr(model, "sealed_fields", None)
    if not columns or not hasattr(model, "unseal_column"):
        continue
    for row in model._base_manager.order_by("pk").iterator():
        for column in columns:
            sealed[f"{model._meta.db_table}:{row.pk}:{column}"] = digest(lambda: row.unseal_column(column))
open(os.environ["UPGRADE_OUT"], "w").write(json.dumps({"id_numbers": ids, "sealed": sealed}))
"""

CHECK_LOGIN = """
import os
from django.contrib.auth import get_user_model
user = get_user_model()._default_manager.get(username=os.environ["UPGRADE_USER"])
assert user.is_active, "demo user is not active"
assert user.check_password(os.environ["UPGRADE_PASSWORD"]), "demo password no longer matches"
print("login ok")
"""


# Region moved from accounts to core on the same table: one content type, now core's, none left behind.
CHECK_CONTENT_TYPES = """
from django.contrib.contenttypes.models import ContentType
labels = set(ContentType.objects.filter(model="region").values_list("app_label", flat=True))
assert labels == {"core"}, f"content types of Region: {sorted(labels)}"
print("content types ok")
"""


def _unavailable(reason: str):
    if os.environ.get("JIUZHU_REQUIRE_UPGRADE_TEST") == "1":
        pytest.fail(f"upgrade test required (JIUZHU_REQUIRE_UPGRADE_TEST=1) but {reason}")
    pytest.skip(reason)


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, timeout=120)


def _old_commit() -> str:
    if shutil.which("git") is None:
        _unavailable("git is not installed")
    if _git("rev-parse", "--git-dir").returncode != 0:
        _unavailable(f"{ROOT} is not a git checkout")
    out = _git("rev-parse", "--verify", "--quiet", f"{BEFORE_MOVE}^{{commit}}")
    if out.returncode != 0:
        _unavailable(f"commit {BEFORE_MOVE} is not in the git history (shallow clone?)")
    return out.stdout.decode().strip()


def _run(args: list[str], *, cwd: Path, env: dict, what: str) -> subprocess.CompletedProcess:
    try:
        out = subprocess.run([sys.executable, "manage.py", *args], cwd=cwd, env=env, capture_output=True,
                             text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{what}: `manage.py {' '.join(args[:2])}` timed out after {TIMEOUT}s\n"
                    f"--- stdout\n{exc.stdout}\n--- stderr\n{exc.stderr}")
    if out.returncode != 0:
        pytest.fail(f"{what}: `manage.py {' '.join(args[:2])}` exited {out.returncode} (cwd {cwd})\n"
                    f"--- stdout\n{out.stdout[-5000:]}\n--- stderr\n{out.stderr[-10000:]}")
    return out


def _shell(code: str, *, cwd: Path, env: dict, out_file: Path, what: str):
    _run(["shell", "-v", "0", "-c", textwrap.dedent(code)], cwd=cwd, env={**env, "UPGRADE_OUT": str(out_file)},
         what=what)
    return json.loads(out_file.read_text())


@pytest.fixture
def database_url(tmp_path):
    """A fresh, empty database of the same kind as the test run's: SQLite file, or a PostgreSQL database
    made for this test and dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = f"jiuzhu_upgrade_{os.getpid()}"
    admin = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                             password=parts.password, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


def test_no_data_loss_on_upgrade(tmp_path, database_url):
    commit = _old_commit()
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.run(f"git -C '{ROOT}' archive {commit} | tar -x -C '{old}'", shell=True,
                             capture_output=True, text=True, timeout=300)
    assert archive.returncode == 0 and (old / "manage.py").exists(), f"git archive {commit}: {archive.stderr}"

    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "JIUZHU_", "DJANGO_", "CELERY_", "DATABASE_"))
           and k not in ("REDIS_URL", "PYTHONPATH")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "jiuzhu.settings.local",
        "DATABASE_URL": database_url,
        "JIUZHU_KEY_FILE": str(tmp_path / "keys" / "upgrade.json"),  # the same keys for old and new code
        "JIUZHU_BROKER_DIR": str(tmp_path / "broker"),  # filesystem broker, as `make run` without REDIS_URL
        "DJANGO_DEBUG": "0",
    })

    # 1. The old code builds a database the way `make run` does, with the demo data.
    for args in (["ensure_dev_keys"], ["migrate", "--noinput"], ["setup_periodic_tasks"], ["seed_demo"]):
        _run(args, cwd=old, env=env, what=f"old code ({commit[:7]})")
    before = _shell(COUNT_ROWS, cwd=old, env=env, out_file=tmp_path / "counts-old.json", what="old code: counts")
    sealed_before = _shell(DUMP_SEALED, cwd=old, env=env, out_file=tmp_path / "sealed-old.json",
                           what="old code: sealed values")
    assert before, "the old code created no tables"
    assert sealed_before["id_numbers"], "the old code's demo data has no people"
    unreadable = [k for k, v in [*sealed_before["sealed"].items(), *sealed_before["id_numbers"].items()]
                  if v and v.startswith("cannot")]
    assert not unreadable, f"the old code cannot decrypt its own data: {unreadable[:10]}"

    # 2. The current code migrates that database and needs no migration that is not written.
    _run(["migrate", "--noinput"], cwd=ROOT, env=env, what="current code: migrate")
    _run(["makemigrations", "--check", "--dry-run"], cwd=ROOT, env=env,
         what="current code: models have changes with no migration")

    # 3. Nothing lost.
    after = _shell(COUNT_ROWS, cwd=ROOT, env=env, out_file=tmp_path / "counts-new.json", what="current code: counts")
    problems = []
    only_old = {t: n for t, n in before.items() if t not in after}
    only_new = {t: n for t, n in after.items() if t not in before}
    for table, rows in sorted(only_old.items()):
        if rows == 0:
            print(f"table {table} dropped (was empty)")
            continue
        same = [t for t, n in only_new.items() if n == rows]
        if len(same) == 1:  # a renamed table (e.g. a model moved to another app) keeps its rows
            print(f"table {table} ({rows} rows) presumably renamed to {same[0]}")
            only_new.pop(same[0])
        else:
            problems.append(f"table {table} with {rows} rows is gone after the upgrade")
    for table, rows in sorted(only_new.items()):
        print(f"new table {table} ({rows} rows)")
    for table in sorted(set(before) & set(after)):
        if after[table] == before[table] or (table in MAY_GROW and after[table] > before[table]):
            continue
        problems.append(f"table {table}: {before[table]} rows before the upgrade, {after[table]} after")

    sealed_after = _shell(DUMP_SEALED, cwd=ROOT, env=env, out_file=tmp_path / "sealed-new.json",
                          what="current code: sealed values (does every ID number still decrypt?)")
    ids_before, ids_after = sealed_before["id_numbers"], sealed_after["id_numbers"]
    if ids_after != ids_before:
        changed = sorted((pk for pk in set(ids_before) | set(ids_after) if ids_before.get(pk) != ids_after.get(pk)),
                         key=lambda pk: (len(pk), pk))
        problems.append(f"{len(changed)} of {len(ids_before)} people's ID numbers differ after the upgrade: "
                        + "; ".join(f"person {pk}: {ids_after.get(pk, 'missing')}" for pk in changed[:10])
                        + (" ..." if len(changed) > 10 else ""))
    old_sealed, new_sealed = sealed_before["sealed"], sealed_after["sealed"]
    if set(old_sealed) == set(new_sealed):  # keys name tables: comparable only while no table was renamed
        changed = sorted(k for k in old_sealed if old_sealed[k] != new_sealed[k])
        if changed:
            problems.append(f"{len(changed)} sealed values differ after the upgrade: {', '.join(changed[:10])}")
    elif len(old_sealed) != len(new_sealed):
        problems.append(f"{len(old_sealed)} sealed values before the upgrade, {len(new_sealed)} after")

    # Models that moved between apps take their content type (and so permissions and grants) with them.
    moved = _run(["shell", "-v", "0", "-c", CHECK_CONTENT_TYPES], cwd=ROOT, env=env,
                 what="current code: content types of moved models")
    assert "content types ok" in moved.stdout, moved.stdout

    login = _run(["shell", "-v", "0", "-c", CHECK_LOGIN], cwd=ROOT, what="current code: demo login",
                 env={**env, "UPGRADE_USER": DEMO_LOGIN[0], "UPGRADE_PASSWORD": DEMO_LOGIN[1]})
    assert "login ok" in login.stdout

    assert not problems, "data lost or changed on upgrade:\n  " + "\n  ".join(problems)
    print(f"upgrade {commit[:7]} -> current: {len(before)} tables, {sum(before.values())} rows, "
          f"{len(ids_before)} ID numbers, {len(old_sealed)} sealed values: nothing lost")
