"""§1 in a real browser: a county officer uploads a department file and watches it finish; the township
caseworker closes the resulting clue. Screenshots (1366x768) go to /tmp/monitoring/."""
import os
import pathlib

import pytest

from tests.monitoring.helpers import enrolled, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SHOTS = pathlib.Path("/tmp/monitoring")
PASSWORD = "jiuzhu-demo-2026"


@pytest.fixture
def audit_flushable(transactional_db):
    """live_server needs a transactional database; tests/conftest.py lets its final flush past the
    append-only triggers."""
    yield

@pytest.fixture
def chromium(audit_flushable, browser):
    """The shared session browser (tests/browser/fixtures.py): a second sync_playwright in the same thread
    would meet the first one's running event loop."""
    return browser


def _login(chromium, live_server, username):
    ctx = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = ctx.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def test_county_officer_uploads_and_township_closes_clue(chromium, live_server, users, tmp_path):
    SHOTS.mkdir(exist_ok=True)
    _, person, _ = enrolled("dibao")
    file = tmp_path / "武陟县10月死亡名单.xlsx"
    file.write_bytes(xlsx([["姓名", "身份证号码", "死亡日期"], [person.name, person.reveal_id_number(), "2026-10-02"],
                           ["错号", "4108231970", "2026-10-02"]]))

    page = _login(chromium, live_server, "wuzhi_minzheng")
    page.goto(f"{live_server.url}/monitoring/runs/")
    page.select_option("#id_source", "death_police")
    page.set_input_files("#id_file", str(file))
    page.click("text=上传并比对")
    page.wait_for_selector(".tag-ok:has-text('已完成')", timeout=20000)
    page.screenshot(path=str(SHOTS / "browser_run_done.png"), full_page=True)
    body = page.inner_text("main")
    assert "身份证号码应为18位，当前为10位" in body
    assert page.get_attribute(".progress", "aria-valuenow") == "100"
    page.context.close()

    page = _login(chromium, live_server, "zhandian_jingban")
    page.goto(f"{live_server.url}/monitoring/clues/")
    page.click(f"text={person.name}")
    assert "已自动暂停" in page.inner_text("main")
    page.check("input[value=unfounded]")
    page.fill("#id_finding", "入户核实本人健在，系公安误报，已请派出所更正")
    page.screenshot(path=str(SHOTS / "browser_clue_form.png"), full_page=True)
    page.click("text=保存结论并办结")
    page.wait_for_selector("text=核查结论已保存")
    page.screenshot(path=str(SHOTS / "browser_clue_closed.png"), full_page=True)
    assert "不属实" in page.inner_text("main")
    page.context.close()
