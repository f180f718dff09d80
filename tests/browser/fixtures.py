"""Browser-test harness: the real site (pytest-django `live_server`) in headless Chromium via Playwright.

Run with `make browser-test` (CI runs it); `make test` leaves these out (marker `browser`). Chromium is
Debian's /usr/bin/chromium (`apt-get install chromium fonts-noto-cjk`; `.ci/run` does it), never a
downloaded browser. tests/conftest.py imports these fixtures, so any test module under tests/ can use them
(e.g. `tests/browser/test_<app>.py` or `tests/<app>/test_browser.py`); start the module with::

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

(`login_as` alone already brings a committed database with the migration data — regions, standards —
restored; the marker states it for tests that use only `live_server`/`browser`.) Example::

    def test_reviewer_sees_household(login_as, shot):
        household = PersonFactory(household__village="410823101200").household
        page = login_as("wuzhi_choucha")
        assert page.goto(f"/households/{household.pk}/").status == 200
        shot(page, "household")

Fixtures (all function-scoped unless noted):

``login_as(username) -> Page``
    Seeds the demo users (accounts/demo.py, password jiuzhu-demo-2026) in the live database, opens a fresh
    browser context (1366x768, zh-CN, base_url = the live server, so ``page.goto("/households/")``
    works), logs in through /accounts/login/ and waits for the home page. Call it several times for
    several users in one test; every context is closed at the end of the test.
``shot(page, name) -> Path``
    Full-page screenshot to ``test-artifacts/browser/<test name>/<name>.png`` (git-ignored; CI keeps
    them as artefacts). Take one at every step you would want to look at when the test fails.
``browser`` (session)
    The Playwright Browser, for tests that need an anonymous context: ``browser.new_context(...)``.
``live_server``
    pytest-django's server; data must be committed (this is a `transactional_db` test), so create it
    inside the test with factories or services, never in a `db`-scoped fixture.

Playwright's sync API runs an event loop in this thread, so the ORM's async-safety check is relaxed once
the browser starts (DJANGO_ALLOW_ASYNC_UNSAFE). A failing test also saves ``failure-*.png`` of every page
it left open.
"""
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
VIEWPORT = {"width": 1366, "height": 768}
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "browser"
DEMO_PASSWORD = "jiuzhu-demo-2026"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        reason = f"{CHROMIUM} missing: apt-get install chromium fonts-noto-cjk (.ci/run installs it)"
        pytest.fail(reason) if os.environ.get("CI") else pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def artifact_dir(request) -> Path:
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    folder = ARTIFACTS / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def shot(artifact_dir):
    def take(page, name: str) -> Path:
        path = artifact_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def new_context(browser, live_server, request, artifact_dir):
    """`new_context()` -> a fresh BrowserContext on the live server; closed (after a failure screenshot)."""
    contexts = []

    def make(**options):
        options = {"viewport": VIEWPORT, "locale": "zh-CN", "base_url": live_server.url, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for i, context in enumerate(contexts):
        if failed:
            for j, page in enumerate(context.pages):
                page.screenshot(path=str(artifact_dir / f"failure-{i}-{j}.png"), full_page=True)
        context.close()


@pytest.fixture
def demo_users(transactional_db, django_db_serialized_rollback):
    """The demo users committed to the live database (idempotent). Serialized rollback puts the
    migration data (regions, standards) back after an earlier transactional test flushed it."""
    from accounts.models import User
    from demo import users as demo

    demo.seed(io.StringIO())
    return {u.username: u for u in User.objects.select_related("region")}


@pytest.fixture
def login_as(new_context, demo_users):
    def login(username: str):
        page = new_context().new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return login


__all__ = ["browser", "artifact_dir", "shot", "new_context", "demo_users", "login_as",
           "pytest_runtest_makereport"]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
