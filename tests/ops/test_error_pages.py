"""Issue 14 §5: DEBUG only with DJANGO_DEBUG=1; Chinese 403/404/500 pages in the site's layout, no URL map, no
stack trace; the 500 page needs neither the database nor any context processor."""
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from jiuzhu import views


def _debug(**env) -> str:
    base = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE")}
    out = subprocess.run([sys.executable, "-c", "import django, os; django.setup(); from django.conf import settings; "
                          "print(os.environ['DJANGO_SETTINGS_MODULE'], settings.DEBUG)"],
                         cwd=settings.BASE_DIR, env={**base, "PYTHONPATH": str(settings.BASE_DIR), **env},
                         capture_output=True, text=True, timeout=60)
    return out.stdout.strip() or out.stderr


def test_debug_only_when_asked_for_explicitly():
    # as manage.py / wsgi / celery do when nothing is configured: the local settings, DEBUG off
    assert _debug(DJANGO_SETTINGS_MODULE="jiuzhu.settings.local") == "jiuzhu.settings.local False"
    assert _debug(DJANGO_SETTINGS_MODULE="jiuzhu.settings.local", DJANGO_DEBUG="") == "jiuzhu.settings.local False"
    assert _debug(DJANGO_SETTINGS_MODULE="jiuzhu.settings.local", DJANGO_DEBUG="1") == "jiuzhu.settings.local True"
    assert _debug(DJANGO_SETTINGS_MODULE="jiuzhu.settings.base") == "jiuzhu.settings.base False"
    text = (settings.BASE_DIR / "manage.py").read_text() + (settings.BASE_DIR / "jiuzhu" / "wsgi.py").read_text()
    assert text.count('setdefault("DJANGO_SETTINGS_MODULE", "jiuzhu.settings.local")') == 2


@pytest.mark.django_db
def test_unknown_url_is_the_chinese_404_without_the_url_map(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "未找到" in text and "焦作市社会救助业务系统" in text
    assert "URLconf" not in text and "api/v1" not in text


@pytest.mark.django_db
def test_refused_csrf_token_is_the_chinese_403():
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "无法完成操作" in text and "CSRF verification failed" not in text


def test_500_page_needs_no_database():
    """No django_db mark: any query would raise here."""
    response = views.server_error(RequestFactory().get("/boom/"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "系统出现错误" in text and "/static/css/jiuzhu.css" in text and "{%" not in text
