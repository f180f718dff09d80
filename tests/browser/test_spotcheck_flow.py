"""Browser: a county reviewer opens a month's spot-check and works through the sample (§5)."""
import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_reviewer_works_through_a_sample(live_server):
    import io

    from playwright.sync_api import sync_playwright

    from accounts import demo
    from accounts.models import User
    from audit.models import SpotCheck
    from tests.audit.test_spotchecks import MONTH, _decision

    demo.seed(io.StringIO())
    users = {u.username: u for u in User.objects.all()}
    for _ in range(3):
        _decision(users)
    for _ in range(2):
        _decision(users, status="refused")
    _decision(users, township="410823102")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                          "--disable-component-update", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "wuzhi_choucha")
        page.fill("#id_password", "jiuzhu-demo-2026")
        page.click("button[type=submit]")
        page.click("nav >> text=县级抽查")
        page.fill("#id_month", f"{MONTH:%Y-%m}")
        page.click("text=发起抽查")
        page.wait_for_selector("text=各乡镇抽查比例")
        page.screenshot(path=str(ARTIFACTS / "spotcheck-drawn.png"), full_page=True)
        sc = SpotCheck.objects.get()
        sampled = sc.items.count()
        assert sampled == 3  # 詹店镇 ceil(30 % of 5) = 2, 西陶镇 1
        page.click("table >> nth=1 >> a >> nth=0")
        for i in range(sampled):
            page.check("input[name=finding][value=correct]" if i else "input[name=finding][value=wrong]")
            if i == 0:
                page.fill("#id_finding_reason", "家庭收入核算漏计务工收入")
            page.click("text=保存并检查下一件")
        page.wait_for_selector("text=各乡镇抽查比例")
        page.click("text=用随机种子复核抽样")
        page.wait_for_selector("text=完全一致")
        page.screenshot(path=str(ARTIFACTS / "spotcheck-reviewed.png"), full_page=True)
        browser.close()
    assert sc.items.filter(finding="").count() == 0
    assert sc.items.filter(finding="wrong").count() == 1
