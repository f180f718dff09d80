"""Browser test: the city administrator's main path through parameters, standards and the calendar,
and the public notice board printed for the village (headless Chromium; `make browser-test`)."""
import datetime as dt
from decimal import Decimal

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def live_url(db):
    """A live server sharing the test's in-memory SQLite connection, so the test's transaction (and its
    rollback) covers the browser's requests: no flush, which the append-only audit trail would refuse."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections
    from django.test.testcases import LiveServerThread

    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    if not shared:
        pytest.skip("the in-process browser test needs the in-memory SQLite test database")
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override=shared, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
    for conn in shared.values():
        conn.dec_thread_sharing()


def run_in_browser(drive):
    """Run `drive(page)` in headless Chromium on its own thread: Playwright's sync API runs an event loop,
    which would give this thread's Django code a different (async-context) database connection."""
    from concurrent.futures import ThreadPoolExecutor

    from playwright.sync_api import sync_playwright

    def work():
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            try:
                return drive(browser.new_page(viewport={"width": 1366, "height": 768}))
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result(timeout=180)


def test_city_admin_sets_parameter_standard_and_holiday_then_public_board_prints(live_url, users):
    """§ params, standards, §6 calendar, §11 publicity: the city administrator's path end to end."""
    from cases.standards.selectors import dibao_standard
    from core import params, workdays
    from demo import households as demo

    demo.seed_standards()
    base = live_url

    def drive(page):
        seen = {}
        page.goto(base + "/accounts/login/")
        page.fill("#id_username", "shi_admin")
        page.fill("#id_password", "jiuzhu-demo-2026")
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")

        page.click("text=参数设置")
        page.click("tr[id='dibao.publicity_days'] >> text=调整")
        page.fill("#id_value", "十")
        page.fill("#id_effective_from", "2030-01-01")
        page.fill("#id_reason", "试行")
        page.click("button.btn-primary")
        seen["param_error"] = page.locator("text=须为整数").count()
        page.fill("#id_value", "10")
        page.click("button.btn-primary")
        page.wait_for_selector("text=已设置“公示期”")

        page.click("text=救助标准")
        seen["demo_labels"] = page.locator("text=演示数值").count()
        page.click("text=新增低保标准")
        page.click("[data-check-all=counties]")
        page.select_option("#id_hukou_type", "urban")
        page.fill("#id_effective_from", "2030-01-01")
        page.fill("#id_dibao_monthly", "720")
        page.fill("#id_note", "焦民〔2029〕1号")
        page.click("button.btn-primary")
        page.wait_for_selector("text=已设置 11 个县（市、区）的低保标准")

        page.goto(base + "/calendar/?year=2030")
        page.fill("#id_date", "2030-10-01")
        page.fill("#id_name", "2030年国庆节")
        page.click("button.btn-primary")
        page.wait_for_selector("text=已登记 2030年10月01日 放假")

        page.goto(base + "/public/410823101200/")
        page.emulate_media(media="print")
        seen["chrome_hidden"] = not page.locator(".topbar").is_visible() and not page.locator("[data-print]").is_visible()
        seen["pdf"] = page.pdf(format="A4")[:4]
        return seen

    seen = run_in_browser(drive)
    assert seen == {"param_error": 1, "demo_labels": seen["demo_labels"], "chrome_hidden": True, "pdf": b"%PDF"}
    assert seen["demo_labels"] > 0
    assert params.get("dibao.publicity_days", dt.date(2030, 1, 1)) == 10
    assert params.get("dibao.publicity_days", dt.date(2029, 12, 31)) == 7
    assert dibao_standard("410823", "urban", dt.date(2030, 1, 1)) == Decimal("720.00")
    assert workdays.is_workday(dt.date(2030, 10, 1)) is False
