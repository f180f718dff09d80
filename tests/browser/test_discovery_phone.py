"""§7 on a 360-px phone: a grid worker records a visit that becomes a ledger record; the village staff screens the
household (整件事) and drafts the application (代办); the township caseworker accepts it (受理). Every page the
village users open fits the phone: no sideways scroll, the menu folds away. Screenshots under
test-artifacts/browser/<test>/."""
import datetime as dt

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 360, "height": 740}
PASSWORD = "jiuzhu-demo-2026"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
       b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def _phone_login(new_context, username):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def _fits(page) -> None:
    width = page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def _world():
    from accounts.models import User
    from core.models import Region
    from discovery import services
    from tests.cases.dibao_helpers import poor_household, seed_standards

    seed_standards()
    hh = poor_household()
    staff = User.objects.get(username="heying_cun")
    grid = services.grid_create(actor=staff, village=Region.objects.get(code="410823101200"), name="第一网格",
                                worker=User.objects.get(username="heying_wangge"), worker_phone="13903910001")
    services.household_assign(actor=staff, household=hh, grid=grid)
    return hh


def test_grid_worker_visit_to_accepted_application_on_a_phone(new_context, demo_users, login_as, shot):
    from cases.dibao.models import Application
    from discovery.models import LedgerRecord

    hh = _world()

    # 1. the grid worker, on a phone: the menu is folded, the village board fits, the visit is recorded
    page = _phone_login(new_context, "heying_wangge")
    _fits(page)
    assert not page.locator("nav.sidebar").is_visible()
    page.click("label.nav-toggle-button")
    assert page.locator("nav.sidebar").is_visible()
    shot(page, "1-menu-open")
    page.click("nav.sidebar >> text=网格与走访")
    _fits(page)
    shot(page, "2-board")
    page.click(f"a[href='/discovery/visits/new/?household={hh.pk}']")
    page.fill("#id_seen", "户主本人")
    page.check("input[name=situations][value=illness]")
    page.check("input[name=situations][value=job_loss]")
    page.fill("#id_note", "户主住院两个月，失去务工收入")
    page.set_input_files("input[name=photos]", files=[{"name": "门口.png", "mimeType": "image/png", "buffer": PNG}])
    _fits(page)
    shot(page, "3-visit-form")
    page.click("text=保存走访")
    page.wait_for_url("**/discovery/ledger/*/")
    assert "已记入工作台账" in page.content()
    _fits(page)
    shot(page, "4-ledger-record")
    record = LedgerRecord.objects.get(household=hh)
    assert record.source == "visit" and record.status == "open"
    assert "走访照片" in page.content()  # the photo is an attachment of the visit

    # 2. the village staff, on a phone: 一件事筛查 from the record, the 低保 application is drafted (代办)
    page = _phone_login(new_context, "heying_cun")
    page.goto(f"/discovery/ledger/{record.pk}/")
    page.click("text=一件事筛查，开启救助申请")
    _fits(page)
    shot(page, "5-screening")
    assert page.locator("input[name=chosen][value=dibao]").is_checked()
    page.click("text=代办所选申请")
    page.wait_for_url("**/applications/*/")
    assert "村级代办待受理" in page.content()
    _fits(page)
    shot(page, "6-draft")
    app = Application.objects.get(household=hh)
    assert app.status == "draft"
    record.refresh_from_db()
    assert record.status == "closed" and record.application_id == app.pk

    # every page of the village user's menu fits the phone
    hrefs = page.eval_on_selector_all("nav.sidebar a", "els => els.map(e => e.getAttribute('href'))")
    for href in hrefs + [f"/households/{hh.pk}/", "/accounts/password/"]:
        page.goto(href)
        _fits(page)
    shot(page, "7-last-menu-page")

    # 3. the township caseworker accepts (受理) the draft
    desk = login_as("zhandian_jingban")
    desk.goto(f"/applications/{app.pk}/")
    desk.click("text=受理村级代办申请")
    desk.click("button:has-text('受理村级代办申请')")
    desk.wait_for_url(f"**/applications/{app.pk}/")
    shot(desk, "8-accepted")
    app.refresh_from_db()
    assert app.status == "accepted" and app.accepted_on == dt.date.today()
    assert app.registered_by.username == "zhandian_jingban"
