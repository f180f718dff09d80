"""§2/§5 in the browser: a caseworker takes one 低保 application from intake to confirmation; the leader confirms.

Self-contained (headless Debian chromium + pytest-django live_server). Run: pytest -m browser tests/browser.
"""
import datetime as dt
import os

import pytest

from cases.models import Application
from tests.cases.dibao_helpers import poor_household, seed_standards

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "jiuzhu-demo-2026"


@pytest.fixture
def audit_flushable(transactional_db):
    """live_server needs a transactional database; tests/conftest.py lets its final flush past the
    append-only triggers."""
    yield

@pytest.fixture
def page(live_server, audit_flushable, browser):
    """One context on the shared session browser (tests/browser/fixtures.py): a second sync_playwright in
    the same thread would meet the first one's running event loop."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_caseworker_intake_to_leader_confirmation(page, live_server, users):
    seed_standards()
    hh = poor_household()
    base = live_server.url
    today = dt.date.today().isoformat()

    # 受理
    login(page, base, "zhandian_jingban")
    page.goto(f"{base}/households/{hh.pk}/")
    page.click("text=受理低保申请")
    page.fill("#id_reason", "户主打零工收入低，两个孩子上学")
    page.click("button:has-text('受理')")
    page.wait_for_selector("text=已受理")
    app = Application.objects.get(household=hh)
    assert page.url.endswith(f"/applications/{app.pk}/")
    assert "剩" in page.inner_text(".facts")  # the deadline is shown

    # 入户调查和核对
    page.click("text=登记入户调查和核对结果")
    page.fill("#id_investigated_on", today)
    page.fill("#id_investigator_1", "刘洋")
    page.fill("#id_investigator_2", "马强")
    page.fill("#id_findings", "入户查看，住房简陋，户主打零工")
    page.fill("#id_verification_result", "省核对平台：无车辆、无工商登记")
    page.click("form button.btn-primary")
    page.wait_for_selector(".st-investigated")
    assert "1,209.99" in page.inner_text(".assessment")

    # 集体研究（联席会议）
    page.click("text=登记联席会议（集体研究）")
    page.fill("#id_chair", "王镇长")
    page.fill("#id_attendees", "王镇长、李书记、刘洋、马强")
    page.select_option(f"#id_decision_{app.pk}", "approve")
    page.click("button:has-text('保存会议记录和研究意见')")
    page.wait_for_selector("text=联席会议纪要")

    # 公示 7 days pass (moved back in time), then the caseworker submits for decision
    Application.objects.filter(pk=app.pk).update(publicity_start=dt.date.today() - dt.timedelta(days=8),
                                                 publicity_end=dt.date.today() - dt.timedelta(days=2))
    page.goto(f"{base}/applications/{app.pk}/")
    page.click("text=公示期满，提交审核确认")
    page.click("form button.btn-primary")
    page.wait_for_selector(".st-awaiting_decision")
    page.click("text=退出")

    # 审核确认 by the leader, from the to-do list
    login(page, base, "zhandian_shenpi")
    page.click("nav >> text=我的待办")
    page.click(f"text={app.number}")
    page.click(".action-bar >> text=审核确认")
    page.click("form button.btn-primary")
    page.wait_for_selector(".st-confirmed")
    app.refresh_from_db()
    assert app.status == "confirmed" and app.entitlement.monthly_amount == app.monthly_amount
    assert "每月" in page.inner_text("main")
    os.makedirs("/tmp/dibao", exist_ok=True)
    page.screenshot(path="/tmp/dibao/browser_confirmed.png", full_page=True)
