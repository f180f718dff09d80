"""Browser: the finance officer (wuzhi_caizheng) approves a batch and downloads the 一卡通 file (§6)."""
import os

import pytest
from openpyxl import load_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(live_server, browser):
    """A context on the shared session browser (tests/browser/fixtures.py): a second sync_playwright in
    the same thread would meet the first one's running event loop."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def users(transactional_db):
    import io

    from accounts.models import User
    from demo import users as demo

    demo.seed(io.StringIO())
    return {u.username: u for u in User.objects.select_related("region")}


@pytest.fixture
def standards(transactional_db):
    from demo.households import seed_standards

    seed_standards()


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "jiuzhu-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_finance_officer_approves_batch_and_downloads_file(page, live_server, users, standards, tmp_path):
    from core.models import Region
    from funds import services
    from funds.models import PaymentBatch
    from tests.funds.conftest import MONTH, make_paid

    officer = users["wuzhi_minzheng"]
    for i in range(3):
        make_paid("dibao", f"{400 + i}.00", 2)
    batch = services.batch_draft(actor=officer, county=Region.objects.get(code="410823"), month=MONTH)
    services.batch_transition(actor=officer, batch=batch, to=PaymentBatch.Status.FINALISED)
    services.batch_transition(actor=officer, batch=batch, to=PaymentBatch.Status.FUNDS_REQUESTED)

    base = live_server.url
    _login(page, base, "wuzhi_caizheng")
    page.click("nav >> text=发放批次")
    page.click(f"text={batch}")
    assert page.locator(".funds-steps li.current").inner_text() == "已申请资金"
    assert "家庭档案" not in page.locator(".sidebar").inner_text()
    page.fill("input[name=reference]", "武财拨〔2026〕12号")
    page.click("button:has-text('审核并拨付')")
    page.wait_for_selector(".msg-success")
    assert "财政已拨付" in page.locator(".msg-success").inner_text()
    batch.refresh_from_db()
    assert batch.status == "transferred" and batch.approved_by == users["wuzhi_caizheng"]

    page.click("button:has-text('生成一卡通发放文件')")
    page.wait_for_selector("#download", timeout=20000)
    with page.expect_download() as info:
        page.click("#download")
    path = tmp_path / "file.xlsx"
    info.value.save_as(path)
    ws = load_workbook(path).active
    assert ws.cell(1, 6).value == "身份证号码"
    assert ws.max_row == 5 and ws.cell(5, 1).value == "合计"
    assert ws.cell(5, 11).value == 1203.0
    page.screenshot(path=str(tmp_path / "after.png"))
