"""Browser: a township leader grants 小金额先行救助 and a caseworker completes its paperwork (§4)."""
import os
from decimal import Decimal
from pathlib import Path

import pytest

from accounts.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "jiuzhu-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_leader_grants_fast_aid_and_caseworker_completes_paperwork(live_server):
    import io

    from playwright.sync_api import sync_playwright

    from accounts import demo
    from cases import temporary_aid
    from cases.demo import seed_standards
    from cases.models import TemporaryAid
    from tests.factories import PersonFactory

    demo.seed(io.StringIO())
    seed_standards()
    from accounts.models import User

    temporary_aid.reserve_fund_top_up(actor=User.objects.get(username="wuzhi_minzheng"),
                                      township=Region.objects.get(code="410823101"), amount=Decimal("10000"),
                                      note="拨付")
    household = PersonFactory(household__village="410823101200").household
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                          "--disable-component-update", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        _login(page, live_server.url, "zhandian_shenpi")
        page.goto(f"{live_server.url}/temporary-aid/")
        page.fill("input[name=household]", str(household.pk))
        page.click("text=先行救助 >> nth=-1")
        page.select_option("#id_aid_type", "emergency")
        page.fill("#id_amount", "2800")
        page.fill("#id_cause", "家中失火，生活用品全部烧毁")
        page.click("text=签批并发放")
        page.wait_for_selector("text=已先行发放2800")
        page.screenshot(path=str(ARTIFACTS / "temporary-aid-granted.png"))
        aid = TemporaryAid.objects.get()
        page.click("text=退出")
        _login(page, live_server.url, "zhandian_jingban")
        page.goto(f"{live_server.url}/temporary-aid/{aid.pk}/")
        page.fill("#id_paperwork", "经入户核实，火灾属实，已按规定先行救助，现金发放，凭证已归档。")
        page.click("button:has-text('提交')")
        page.wait_for_selector("text=已办结")
        page.screenshot(path=str(ARTIFACTS / "temporary-aid-completed.png"))
        browser.close()
    aid.refresh_from_db()
    assert aid.status == TemporaryAid.Status.COMPLETED
