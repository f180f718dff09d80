"""Browser: a county officer (wuzhi_minzheng) opens the three aims, sees a red indicator, follows its number to
the cases behind it, opens one, and looks at the charts drawn from the app's own static Chart.js."""
import datetime as dt

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_county_officer_goes_from_red_indicator_to_the_cases(login_as, shot):
    from accounts.models import User
    from cases.models import Application
    from tests.factories import PersonFactory

    page = login_as("wuzhi_minzheng")
    caseworker = User.objects.get(username="zhandian_jingban")
    h = PersonFactory(household__village="410823101200", household__head_name="欧阳超期").household
    app = Application.objects.create(
        kind="dibao", household=h, handling_township_id=h.township_id, handling_county_id=h.county_id,
        reason="申请", accepted_on=dt.date(2026, 10, 1), deadline=dt.date(2026, 11, 4), status="investigating",
        registered_by=caseworker, county_id=h.county_id, township_id=h.township_id, village_id=h.village_id)
    other = PersonFactory(household__village="410825101201", household__head_name="司马外县").household
    Application.objects.create(
        kind="dibao", household=other, handling_township_id=other.township_id, handling_county_id=other.county_id,
        reason="申请", accepted_on=dt.date(2026, 10, 1), deadline=dt.date(2026, 11, 4), status="investigating",
        registered_by=caseworker, county_id=other.county_id, township_id=other.township_id,
        village_id=other.village_id)

    page.goto("/")
    page.click("nav.sidebar >> text=三个兜底指标")
    page.select_option("select[name=month]", "2026-11")
    page.click("form.filters >> text=查看")
    row = page.locator("tr[data-indicator=applications_late]")
    assert "status-red" in row.get_attribute("class")
    assert row.locator("a.value").inner_text() == "1"
    shot(page, "aims")

    row.locator("a.value").click()
    page.wait_for_url("**/reports/aims/applications_late/**")
    table = page.locator("table.drill")
    assert "欧阳超期" in table.inner_text() and "司马外县" not in table.inner_text()
    shot(page, "cases")

    table.locator(f"a[href='/applications/{app.pk}/']").click()
    page.wait_for_url(f"**/applications/{app.pk}/")
    assert "欧阳超期" in page.content()

    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/reports/charts/?month=2026-11&indicator=applications_late")
    page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length >= 2")
    assert not errors
    shot(page, "charts")
