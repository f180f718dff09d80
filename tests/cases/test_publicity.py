import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings

from cases.models import Entitlement
from cases.publicity import selectors
from cases.publicity.selectors import PublicDibaoRow, PublicityCaseRow
from tests.factories import PersonFactory, make_id

VILLAGE = "410823101200"
URL = f"/public/{VILLAGE}/"

ID_LIKE = re.compile(r"\d{17}[\dXx]|\d{6}\*+\d{3}[\dXx]")
CARD_LIKE = re.compile(r"(?<!\d)\d{12,19}(?!\d)")
PHONE_LIKE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)|1[3-9]\d\*{4}\d{4}")


def household_with(name, village=VILLAGE, members=3, status=Entitlement.Status.ACTIVE,
                   category=Entitlement.Category.DIBAO, amount="812.50", hukou="rural"):
    head = PersonFactory(name=name, household__head_name=name, household__village=village,
                         household__hukou_type=hukou, id_number=make_id("410823", dt.date(1960, 3, 8)))
    household = head.household
    household.set_phone("13912345678")
    household.save()
    for i in range(members - 1):
        PersonFactory(household=household, name=f"{name}家{i}", relationship="child",
                      id_number=make_id("410823", dt.date(1990 + i, 1, 2), "F"))
    Entitlement.objects.create(household=household, county_id=household.county_id,
                               township_id=household.township_id, village_id=household.village_id,
                               category=category, status=status, persons_covered=members,
                               monthly_amount=Decimal(amount), start_month=dt.date(2026, 1, 1))
    return household


@pytest.mark.django_db
def test_public_village_page_needs_no_login_and_masks_names(client):
    """§11 publicity: the village page is public, lists 低保 households with masked names, size, category, amount."""
    household_with("张三丰")
    household_with("欧阳明月", members=2, status=Entitlement.Status.PHASING_OUT, amount="300", hukou="urban")
    household_with("李四五六", status=Entitlement.Status.ENDED)  # exited: not listed
    household_with("王五", category=Entitlement.Category.TEKUN_DISPERSED)  # not 低保: not on this list
    household_with("赵六", village="410823101201")  # another village
    resp = client.get(URL)
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "张*丰" in body and "欧阳*月" in body
    for hidden in ("张三丰", "欧阳明月", "李**六", "李四五六", "王*", "赵*"):
        assert hidden not in body
    assert "农村低保" in body and "城市低保" in body and "812.50" in body and "300.00" in body
    assert "共有低保家庭 2 户、5 人" in body and "1,112.50" in body
    assert settings.JIUZHU_COMPLAINT_PHONE in body
    assert resp["X-Robots-Tag"].startswith("noindex")
    assert "打印公示" in body and "data-print" in body


@pytest.mark.django_db
def test_public_html_contains_no_id_card_or_phone_like_strings(client):
    """§11 publicity: never ID, bank or phone numbers — not even masked ones — in the public HTML."""
    from cases.models import Person

    for name in ("张三", "李四五", "欧阳明"):
        household_with(name)
    application_in(household_with("钱七"))  # a case in 公示 is on the page too
    people = list(Person.objects.all())
    for url in (URL, "/public/", "/public/?county=410823", "/public/?township=410823101"):
        body = client.get(url).content.decode()
        scanned = re.sub(r"/public/\d{12}/", "", body)  # village codes in links are public division codes
        assert not ID_LIKE.search(scanned), url
        assert not CARD_LIKE.search(scanned), url
        assert not PHONE_LIKE.search(scanned), url
        assert "13912345678" not in body and "139****5678" not in body
        for p in people:
            assert p.id_masked not in body and p.id_masked[-4:] + "<" not in body
            assert p.name not in body  # full names never; 张三 etc. are masked


def application_in(household, status="publicity", start_offset=-2, end_offset=4, amount="650.00", kind="dibao",
                   users=None):
    from django.utils import timezone

    from accounts.models import User
    from cases.models import Application

    today = timezone.localdate()
    actor = User.objects.filter(role="township_caseworker").first()
    if actor is None:
        import io

        from demo import users as demo

        demo.seed(io.StringIO())
        actor = User.objects.get(username="zhandian_jingban")
    return Application.objects.create(
        kind=kind, household=household, county_id=household.county_id, township_id=household.township_id,
        village_id=household.village_id, handling_township_id=household.township_id,
        handling_county_id=household.county_id, reason="患病无劳动能力（申请理由不得公开）", status=status,
        deadline=today + dt.timedelta(days=20), registered_by=actor, monthly_amount=Decimal(amount),
        findings="入户调查：存款3000元（不得公开）", objection="",
        publicity_start=today + dt.timedelta(days=start_offset), publicity_end=today + dt.timedelta(days=end_offset))


@pytest.mark.django_db
def test_case_in_publicity_appears_on_the_village_page_and_nothing_else_leaks(client):
    """§2 公示 7 days / §11: a case in 公示 is on /public/<village>/ with masked name, size, kind, amount, dates;
    its reasons and findings, cases not in 公示, outside the window or of another village are not."""
    from cases.publicity.selectors import PublicityCaseRow

    shown = household_with("孙大圣", members=2)
    app = application_in(shown, amount="650.00")
    application_in(household_with("猪八戒"), status="investigating")  # not in 公示
    application_in(household_with("沙和尚"), start_offset=-10, end_offset=-3)  # 公示 ended
    application_in(household_with("白龙马", village="410823101201"))  # another village
    application_in(household_with("唐三藏"), kind="tekun", amount="0.00", start_offset=0, end_offset=6)
    rows = selectors.publicity_cases(VILLAGE)
    assert rows[0] == PublicityCaseRow(masked_name="孙*圣", household_size=2, category="最低生活保障",
                                       monthly_amount=Decimal("650.00"), village="何营东村",
                                       publicity_start=app.publicity_start, publicity_end=app.publicity_end)
    assert [r.masked_name for r in rows] == ["孙*圣", "唐*藏"] and rows[1].category == "特困人员救助供养"
    body = client.get(URL).content.decode()
    section = body[body.index('id="publicity"'):body.index('id="dibao"')]
    assert "孙*圣" in section and "650.00" in section and "最低生活保障" in section and "唐*藏" in section
    assert f"{app.publicity_start:%Y-%m-%d} 至 {app.publicity_end:%Y-%m-%d}" in section
    for hidden in ("孙大圣", "猪*戒", "沙*尚", "白*马", "不得公开", "3000", "目前没有正在公示"):
        assert hidden not in section
    scanned = re.sub(r"/public/\d{12}/", "", body)
    assert not ID_LIKE.search(scanned) and not CARD_LIKE.search(scanned) and not PHONE_LIKE.search(scanned)


def test_leak_detectors_catch_what_they_guard_against():
    """The detectors above would catch a leaked ID (full or masked), card or phone number."""
    assert ID_LIKE.search(f"<td>{make_id()}</td>")
    assert ID_LIKE.search("<td>410823********123X</td>")
    assert CARD_LIKE.search("<td>6217000010001234567</td>")
    assert PHONE_LIKE.search("<td>13912345678</td>") and PHONE_LIKE.search("<td>139****5678</td>")
    assert not PHONE_LIKE.search(settings.JIUZHU_COMPLAINT_PHONE)


def test_public_row_is_an_explicit_whitelist():
    """§11 publicity: the public row has exactly the whitelisted fields, nothing else."""
    assert [f.name for f in dataclasses.fields(PublicDibaoRow)] == [
        "masked_name", "household_size", "category", "monthly_amount", "village"]
    assert [f.name for f in dataclasses.fields(PublicityCaseRow)] == [
        "masked_name", "household_size", "category", "monthly_amount", "village", "publicity_start",
        "publicity_end"]


@pytest.mark.django_db
def test_selector_returns_whitelisted_rows_only():
    household_with("张三丰")
    rows = selectors.public_dibao_list(VILLAGE)
    assert rows == [PublicDibaoRow(masked_name="张*丰", household_size=3, category="农村低保",
                                   monthly_amount=Decimal("812.50"), village="何营东村")]
    assert selectors.publicity_cases(VILLAGE) == []  # no application in 公示
    assert selectors.public_dibao_list("410823101") == []  # not a village


@pytest.mark.django_db
def test_public_village_page_query_count(client, django_assert_max_num_queries):
    for i in range(5):
        application_in(household_with(f"张{i}丰"))
    with django_assert_max_num_queries(4):
        assert client.get(URL).status_code == 200


@pytest.mark.django_db
def test_public_index_county_township_village(client):
    """§11: an index to pick county → township → village; unknown codes are 404."""
    body = client.get("/public/").content.decode()
    assert "武陟县" in body and "?county=410823" in body
    body = client.get("/public/?county=410823").content.decode()
    assert "?township=410823101" in body
    body = client.get("/public/?township=410823101").content.decode()
    assert URL in body
    assert client.get("/public/?county=999999").status_code == 404
    assert client.get("/public/?township=410823").status_code == 404
    assert client.get("/public/410823101/").status_code == 404  # a township, not a village
    assert client.get("/public/abc/").status_code == 404
