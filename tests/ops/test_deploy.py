"""Deployment contract (issue 2 §10): docker-compose.yml runs web (gunicorn), worker, beat, PostgreSQL and
Redis, every app container configured from the environment; production settings pass `check --deploy`
and refuse to start without their secrets. No Docker engine here, so the compose file is checked as data.
"""
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
APP_SERVICES = ("web", "worker", "beat", "migrate")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def _command(service) -> str:
    cmd = service["command"]
    return " ".join(cmd) if isinstance(cmd, list) else cmd


def test_compose_has_the_five_services(compose):
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert "gunicorn jiuzhu.wsgi:application" in _command(services["web"])
    assert "celery -A jiuzhu worker" in _command(services["worker"])
    assert "celery -A jiuzhu beat" in _command(services["beat"])
    assert services["beat"]["deploy"]["replicas"] == 1, "beat must run exactly once"


def test_every_app_container_is_configured_from_the_environment(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        env = service["environment"]
        assert service["build"] == "." and service["image"] == "jiuzhu:latest", name
        assert env["DJANGO_SETTINGS_MODULE"] == "jiuzhu.settings.production", name
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"], name
        assert env["REDIS_URL"].startswith("redis://redis:6379/"), name
        # Secrets come from the host environment (required), never from the file itself.
        assert env["DJANGO_SECRET_KEY"] == "${DJANGO_SECRET_KEY:?set DJANGO_SECRET_KEY}", name
        assert "${JIUZHU_APP_PASSWORD:?" in env["DATABASE_URL"] or "${JIUZHU_OWNER_PASSWORD:?" in env["DATABASE_URL"], name
        assert env["JIUZHU_KEYS"] == "${JIUZHU_KEYS:-}" and env["JIUZHU_KEY_FILE"].startswith("/run/"), name
    for name in ("web", "worker", "beat"):
        assert compose["services"][name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "migrate --noinput" in _command(compose["services"]["migrate"])
    assert "setup_periodic_tasks" in _command(compose["services"]["migrate"])


def test_dockerfile_builds_the_app_image():
    text = (BASE_DIR / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11", text, re.M)
    assert "pip install -r requirements.txt" in text
    assert "collectstatic" in text
    assert re.search(r"^USER (?!root)", text, re.M), "the app must not run as root"
    assert "gunicorn jiuzhu.wsgi:application" in text
    ignored = (BASE_DIR / ".dockerignore").read_text().split()
    assert {".git", ".venv", ".keys", "db.sqlite3"} <= set(ignored), "keys and local data stay out of the image"


def _production(args, **overrides):
    keys = {"enc": {"1": secrets.token_hex(16)}, "current": 1, "index": secrets.token_hex(32)}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "JIUZHU_", "DJANGO_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "jiuzhu.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "jiuzhu.jiaozuo.gov.cn",
        "JIUZHU_KEYS": json.dumps(keys),
        # a database of its own: a developer's db.sqlite3 holds the check values of other (dev) keys
        "DATABASE_URL": "sqlite:///" + os.path.join(tempfile.mkdtemp(), "deploy-check.sqlite3"),
        **overrides,
    })
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=120)


def test_production_settings_pass_check_deploy():
    """`manage.py check --deploy` with production env: no warnings at all."""
    out = _production(["check", "--deploy", "--fail-level", "WARNING"])
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_production_refuses_to_start_without_secret_key():
    out = _production(["check"], DJANGO_SECRET_KEY=None)
    assert out.returncode != 0
    assert "DJANGO_SECRET_KEY" in out.stderr


def test_production_refuses_to_start_without_personal_data_keys(tmp_path):
    out = _production(["check"], JIUZHU_KEYS=None, JIUZHU_KEY_FILE=str(tmp_path / "missing.json"))
    assert out.returncode != 0
    assert "JIUZHU_KEYS" in out.stderr


def test_production_has_no_demo_data_commands():
    """The demo app stands above the product and is left out of production: no `seed_demo` there."""
    out = _production(["help", "--commands"])
    assert out.returncode == 0, out.stdout + out.stderr
    assert "migrate" in out.stdout and "seed_demo" not in out.stdout and "seed_city" not in out.stdout
    trial = _production(["help", "--commands"], JIUZHU_DEMO="true")  # a trial system asks for it by name
    assert "seed_demo" in trial.stdout
    warned = _production(["check", "--deploy"], JIUZHU_DEMO="true")  # and the deploy check says so
    assert "jiuzhu.W010" in warned.stdout + warned.stderr


def test_app_connects_with_a_role_that_is_neither_superuser_nor_owner(compose):
    """Issue 14 §8: web, worker and beat connect as jiuzhu_app; only the one-shot migrate uses jiuzhu_owner; the
    init script makes both roles NOSUPERUSER and gives jiuzhu_app rows, not tables."""
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://jiuzhu_app:"), name
    assert services["migrate"]["environment"]["DATABASE_URL"].startswith("postgres://jiuzhu_owner:")
    init = services["db"]["volumes"]
    assert "./deploy/postgres-init.sh:/docker-entrypoint-initdb.d/10-jiuzhu-roles.sh:ro" in init
    script = (BASE_DIR / "deploy" / "postgres-init.sh").read_text()
    assert "CREATE ROLE jiuzhu_owner LOGIN NOSUPERUSER" in script
    assert "CREATE ROLE jiuzhu_app LOGIN NOSUPERUSER" in script
    assert "ALTER DATABASE jiuzhu OWNER TO jiuzhu_owner" in script
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO jiuzhu_app" in script


def test_every_service_has_a_healthcheck_and_web_keeps_connections(compose):
    services = compose["services"]
    for name in ("db", "redis", "web", "worker", "beat"):
        assert services[name].get("healthcheck", {}).get("test"), name
    assert "/healthz/" in " ".join(services["web"]["healthcheck"]["test"])
    assert "healthcheck --part beat" in " ".join(services["beat"]["healthcheck"]["test"])
    assert services["web"]["environment"]["DATABASE_CONN_MAX_AGE"] == "60", "gunicorn: persistent connections"
    for name in ("worker", "beat", "migrate"):
        assert "DATABASE_CONN_MAX_AGE" not in services[name]["environment"], name
    assert "postgresql-client" in (BASE_DIR / "Dockerfile").read_text(), "pg_dump for manage.py backup"
