"""The site in a real browser (issue 2 §12): every demo user logs in and reaches the home page; a township
caseworker registers a household, adds a member and an income item; out of scope is the 404 page."""
import datetime
from decimal import Decimal

import pytest

from demo.users import DEMO_USERS
from tests.factories import PersonFactory, make_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_every_demo_user_logs_in_and_reaches_the_home_page(login_as, shot, demo_users, live_server):
    """§8/§12: each of the demo users (one per role) signs in with the demo password and lands on home,
    which names the user, the role and the region."""
    assert len(DEMO_USERS) >= 13
    for username, _role, _code, _name in DEMO_USERS:
        user = demo_users[username]
        page = login_as(username)
        assert page.url == f"{live_server.url}/", page.url
        whoami = page.locator(".whoami").inner_text()
        assert user.role_label in whoami and user.region.name in whoami, whoami
        assert page.title().endswith("焦作市社会救助业务系统")
        assert "未找到" not in page.content() and "服务器错误" not in page.content()
        shot(page, f"home-{username}")
        page.context.close()


def test_caseworker_registers_household_then_adds_member_and_income(login_as, shot):
    """§4: 詹店镇's caseworker registers a household with its head in the browser, adds a member and an
    income item; the detail page and the database both show them, with the ID number masked."""
    from cases.models import Household, IncomeItem, Person

    head_id = make_id("410823", sex="M")
    child_id = make_id("410823", birth=datetime.date(2012, 3, 8), sex="F")
    page = login_as("zhandian_jingban")
    page.goto("/households/new/")
    shot(page, "1-new-household-form")
    page.select_option("#id_village", value="410823101200")  # 詹店镇 何营东村
    page.fill("#id_address", "何营东村三组18号")
    page.select_option("#id_hukou_type", label="农村")
    page.fill("#id_head-name", "王振华")
    page.fill("#id_head-id_number", head_id.lower() + " ")
    page.select_option("#id_head-work_capacity", label="部分丧失劳动能力")
    page.select_option("#id_head-employment", label="务农")
    page.click("button:has-text('保存')")
    page.wait_for_url("**/households/*/")
    shot(page, "2-household-created")
    assert "已登记" in page.locator(".messages").inner_text()

    household = Household.objects.get(address="何营东村三组18号")
    assert household.village_id == "410823101200" and household.township_id == "410823101"
    head = household.members.get()
    assert head.relationship == Person.Relationship.HEAD and head.name == "王振华"
    assert head_id not in page.content(), "the full ID number is never shown without a reveal"
    assert head.id_masked in page.content()

    page.click("a:has-text('添加成员')")
    page.fill("#id_name", "王小雨")
    page.fill("#id_id_number", child_id)
    page.select_option("#id_relationship", label="子女")
    page.select_option("#id_work_capacity", label="无劳动能力")
    page.select_option("#id_employment", label="在校学生")
    page.select_option("#id_school", label="初中")
    shot(page, "3-add-member-form")
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**/households/{household.pk}/")
    assert "已添加成员王小雨" in page.locator(".messages").inner_text()
    assert household.members.count() == 2

    page.click("summary:has-text('添加收入')")
    page.select_option("#id_income-person", label="王振华")
    page.select_option("#id_income-kind", label="经营净收入")
    page.fill("#id_income-description", "种植小麦")
    page.fill("#id_income-amount_12m", "8640.50")
    shot(page, "4-add-income-form")
    page.locator("form[action$='/income/new/'] button").click()
    page.wait_for_url(f"**/households/{household.pk}/#income")
    shot(page, "5-income-added")
    income = IncomeItem.objects.get(household=household)
    assert income.amount_12m == Decimal("8640.50") and income.person == head
    assert "8,640.50" in page.locator("#income + table").inner_text()


def test_out_of_scope_household_shows_the_404_page(login_as, shot, demo_users):
    """§3: out of scope answers 404, with the friendly 404 page (no hint that the household exists)."""
    zhandian = PersonFactory(household__village="410823101200").household  # 詹店镇 何营东村
    xitao = PersonFactory(household__village="410823102200").household     # 西陶镇
    cases = [("xitao_jingban", zhandian), ("heying_cun", PersonFactory(household__village="410823101201").household),
             ("wenxian_minzheng", zhandian), ("zhandian_jingban", xitao)]
    for username, household in cases:
        page = login_as(username)
        response = page.goto(f"/households/{household.pk}/")
        assert response.status == 404, username
        assert page.locator("h1").inner_text() == "未找到"
        assert household.address not in page.content()
        shot(page, f"404-{username}")
        page.context.close()
    # In scope: the same household opens for its own village's staff.
    page = login_as("heying_cun")
    assert page.goto(f"/households/{zhandian.pk}/").status == 200
