"""A real SQLite *file* database for tests that need more than pytest-django's in-memory one (WAL, several
connections, backup and restore): `migrated_sqlite(tmp_path_factory)` migrates one file per test session
(about 20 s) and each test copies it; `django_run(code, db)` runs Python in a fresh Django process on it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
TEST_BACKUP_KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def django_env(database_url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "JIUZHU_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "jiuzhu.settings.test", "DATABASE_URL": database_url,
                "JIUZHU_BACKUP_KEY": TEST_BACKUP_KEY, **extra})
    env.pop("REDIS_URL", None)
    return {k: v for k, v in env.items() if v is not None}


def manage(args: list[str], database_url: str, timeout: int = 300, **extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=django_env(database_url, **extra),
                          capture_output=True, text=True, timeout=timeout)


def django_run(code: str, database_url: str, timeout: int = 300, **extra) -> str:
    """Run `code` in `manage.py shell` and return its stdout; a failure raises with the output."""
    out = manage(["shell", "-v", "0", "-c", code], database_url, timeout=timeout, **extra)
    if out.returncode:
        raise AssertionError(f"django_run failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return out.stdout


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def migrated_template(folder: Path) -> Path:
    path = folder / "template.sqlite3"
    out = manage(["migrate", "--noinput", "-v", "0"], sqlite_url(path), timeout=600)
    assert out.returncode == 0, out.stderr
    return path


def copy_of(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    return target
