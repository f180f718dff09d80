"""Issue #15 item 7: a Content-Security-Policy without inline script on every response, and no template
that needs one (no <script> without src, no on…= handler attributes)."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _policy(response) -> dict:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/api/docs/", "/", "/temporary-aid/funds/"])
def test_every_page_sends_a_policy_without_inline_script(client, users, url):
    client.force_login(users["zhandian_jingban"])
    policy = _policy(client.get(url))
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-eval'" not in sum(policy.values(), [])


@pytest.mark.django_db
def test_swagger_ui_loads_its_init_script_from_a_url(client, users):
    client.force_login(users["zhandian_jingban"])
    html = client.get("/api/docs/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_no_template_carries_inline_script():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
