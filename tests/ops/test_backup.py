"""Issue 14 §6: `manage.py backup` writes one encrypted archive (consistent dump, the key file, a manifest with
row counts and checksums); `manage.py restore FILE` brings it back into the EMPTY database DATABASE_URL names,
refuses a database that is not empty, and checks the counts and that every sealed value decrypts."""
import json
import os
import subprocess
import uuid

import pytest
from django.conf import settings

from tests.ops.sqlite_site import TEST_BACKUP_KEY, copy_of, django_run, manage, sqlite_url

SEED = """
from tests.factories import PersonFactory
from core.models import Alert
for i in range(4):
    PersonFactory()
Alert.objects.create(region_code="410823", kind="backup-test", dedupe_key="backup-test", message="备份测试")
"""

IDS = """
import json
from cases.models import Person
from ops.backup import current_counts
print(json.dumps({"ids": {p.pk: p.reveal_id_number() for p in Person.objects.order_by("pk")},
                  "counts": current_counts()}))
"""


def _state(database_url, **env) -> dict:
    return json.loads(django_run(IDS, database_url, **env).strip().splitlines()[-1])


def test_backup_and_restore_on_sqlite(sqlite_template, tmp_path):
    source = copy_of(sqlite_template, tmp_path / "source.sqlite3")
    django_run(SEED, sqlite_url(source))
    archive = tmp_path / "out" / "nightly.jzbk"
    out = manage(["backup", "--output", str(archive)], sqlite_url(source))
    assert out.returncode == 0, out.stderr
    assert "已写入备份" in out.stdout
    data = archive.read_bytes()
    assert data.startswith(b"JIUZHU-BACKUP-1\n")
    assert b"manifest.json" not in data and b"SQLite format" not in data and b'"enc"' not in data, "encrypted"
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    target = tmp_path / "restored.sqlite3"
    out = manage(["restore", str(archive)], sqlite_url(target))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "行数一致" in out.stdout and "均可解密" in out.stdout
    before, after = _state(sqlite_url(source)), _state(sqlite_url(target))
    assert before["counts"].pop("ops_heartbeat") == 1, "the source records its last backup after the dump"
    assert after["counts"].pop("ops_heartbeat") == 0
    assert after["counts"] == before["counts"] and after["counts"]["cases_person"] == 4
    assert len(after["ids"]) == 4 and after["ids"] == before["ids"], "every ID number decrypts to the same value"

    # a database that is not empty is refused, and nothing in it changes
    again = manage(["restore", str(archive)], sqlite_url(target))
    assert again.returncode != 0 and "不是空的" in again.stderr
    assert {k: v for k, v in _state(sqlite_url(target))["counts"].items() if k != "ops_heartbeat"} == before["counts"]


def test_restore_refuses_a_wrong_key_a_damaged_archive_and_other_keys(sqlite_template, tmp_path):
    source = copy_of(sqlite_template, tmp_path / "source.sqlite3")
    archive = tmp_path / "a.jzbk"
    assert manage(["backup", "--output", str(archive)], sqlite_url(source)).returncode == 0
    wrong = manage(["restore", str(archive)], sqlite_url(tmp_path / "x.sqlite3"), JIUZHU_BACKUP_KEY="1" * 32)
    assert wrong.returncode != 0 and "无法解密" in wrong.stderr
    damaged = tmp_path / "damaged.jzbk"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 1
    damaged.write_bytes(bytes(data))
    out = manage(["restore", str(damaged)], sqlite_url(tmp_path / "y.sqlite3"))
    assert out.returncode != 0 and "无法解密" in out.stderr
    truncated = tmp_path / "truncated.jzbk"
    truncated.write_bytes(archive.read_bytes()[:-100])
    out = manage(["restore", str(truncated)], sqlite_url(tmp_path / "z.sqlite3"))
    assert out.returncode != 0
    # keys already configured that differ from the archive's are never overwritten
    other = tmp_path / "other-keys.json"
    other.write_text(json.dumps({"enc": {"1": "ff" * 16}, "current": 1, "index": "ee" * 32}))
    out = manage(["restore", str(archive), "--keys-to", str(other)], sqlite_url(tmp_path / "w.sqlite3"))
    assert out.returncode != 0 and "拒绝覆盖" in out.stderr
    assert not (tmp_path / "w.sqlite3").exists(), "refused before anything was written"
    # --keys-to writes them to a new place
    keys_to = tmp_path / "restored-keys.json"
    out = manage(["restore", str(archive), "--keys-to", str(keys_to)], sqlite_url(tmp_path / "v.sqlite3"))
    assert out.returncode == 0, out.stderr
    assert json.loads(keys_to.read_text()) == json.loads((settings.BASE_DIR / "tests/keys/test-keys.json").read_text())
    assert oct(keys_to.stat().st_mode & 0o777) == "0o600"


@pytest.mark.django_db
def test_nightly_backup_task_keeps_the_retention(tmp_path, settings, monkeypatch):
    """The nightly periodic task removes archives older than ops.backup_retention_days (param)."""
    import time

    from core.schedules import all_schedules
    from ops import backup

    assert all_schedules()["每日数据备份"]["task"] == "ops.tasks.nightly_backup"
    settings.JIUZHU_BACKUP_DIR = str(tmp_path)
    monkeypatch.setenv("JIUZHU_BACKUP_KEY", TEST_BACKUP_KEY)
    old = tmp_path / "jiuzhu-backup-20200101-023000.jzbk"
    keep = tmp_path / "jiuzhu-backup-20991231-023000.jzbk"
    for path, age_days in ((old, 15), (keep, 13)):
        path.write_bytes(b"x")
        os.utime(path, (time.time() - age_days * 86400,) * 2)
    assert backup.prune() == [old]
    assert keep.exists() and not old.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_and_restore_on_postgresql(tmp_path):
    """pg_dump -Fc under an exported snapshot; restored by pg_restore into a new, empty database."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("needs PostgreSQL") if os.environ.get("CI") else pytest.skip("needs PostgreSQL (DATABASE_URL)")
    from django.core.management import call_command

    from tests.factories import PersonFactory

    people = {p.pk: p.reveal_id_number() for p in [PersonFactory() for _ in range(3)]}
    archive = tmp_path / "pg.jzbk"
    os.environ["JIUZHU_BACKUP_KEY"] = TEST_BACKUP_KEY
    try:
        call_command("backup", "--output", str(archive), stdout=open(os.devnull, "w"))
    finally:
        os.environ.pop("JIUZHU_BACKUP_KEY", None)
    host, port, user = db.get("HOST") or "127.0.0.1", str(db.get("PORT") or 5432), db.get("USER") or "postgres"
    name = f"{db['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    subprocess.run(["createdb", "-h", host, "-p", port, "-U", user, name], check=True, env=env)
    url = f"postgres://{user}:{db.get('PASSWORD') or ''}@{host}:{port}/{name}"
    try:
        out = manage(["restore", str(archive)], url)
        assert out.returncode == 0, out.stdout + out.stderr
        assert "行数一致" in out.stdout and "均可解密" in out.stdout
        restored = _state(url)
        assert {int(k): v for k, v in restored["ids"].items()} == people
        from ops.backup import current_counts

        counts = current_counts()
        assert counts.pop("ops_heartbeat") == 1 and restored["counts"].pop("ops_heartbeat") == 0
        assert restored["counts"] == counts
        again = manage(["restore", str(archive)], url)
        assert again.returncode != 0 and "不是空的" in again.stderr
    finally:
        subprocess.run(["dropdb", "-h", host, "-p", port, "-U", user, "--if-exists", name], env=env)
