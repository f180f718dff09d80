"""Forms keep the user's work: a negative amount is a Chinese error beside its field, the typed values stay,
no constraint error reaches the page; income, property and expense rows are corrected in place (audited)."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cases.households import services
from cases.models import IncomeItem, PropertyItem
from core.models import AuditEvent
from tests.factories import PersonFactory


@pytest.fixture
def head(db):
    return PersonFactory(household__village="410823101200")


def test_negative_income_is_a_field_error_and_input_is_kept(client, users, head):
    household = head.household
    client.force_login(users["zhandian_jingban"])
    r = client.post(f"/households/{household.pk}/income/new/", {
        "income-person": head.pk, "income-kind": "wages", "income-description": "外出务工收入说明",
        "income-amount_12m": "-500", "income-employment_cost": "0"})
    text = r.content.decode()
    assert r.status_code == 400
    assert "金额不能为负数" in text and "Constraint" not in text and "violated" not in text
    assert 'value="外出务工收入说明"' in text and 'value="-500"' in text
    assert "<details class=\"add-item no-print\" open>" in text
    assert not IncomeItem.objects.exists()


def test_negative_property_value_refused_by_the_service_in_chinese(users, head):
    with pytest.raises(ValidationError) as exc:
        services.item_add(actor=users["zhandian_jingban"], household=head.household, item_type="property",
                          kind="deposit", value=Decimal("-1"))
    assert exc.value.message_dict == {"value": ["金额不能为负数，请填写 0 或正数（没有请填 0）"]}


def test_rows_are_editable_and_audited(client, users, head):
    household = head.household
    item = services.item_add(actor=users["zhandian_jingban"], household=household, item_type="income",
                             person=head, kind="wages", amount_12m=Decimal("12000"))
    client.force_login(users["zhandian_jingban"])
    page = client.get(f"/households/{household.pk}/").content.decode()
    assert f"/households/{household.pk}/income/{item.pk}/edit/" in page
    url = f"/households/{household.pk}/income/{item.pk}/edit/"
    r = client.get(url)
    assert r.status_code == 200 and 'value="12000.00"' in r.content.decode()
    r = client.post(url, {"income-person": head.pk, "income-kind": "wages", "income-description": "更正",
                          "income-amount_12m": "-1", "income-employment_cost": "0"})
    assert r.status_code == 400 and "金额不能为负数" in r.content.decode()
    r = client.post(url, {"income-person": head.pk, "income-kind": "wages", "income-description": "更正",
                          "income-amount_12m": "9600.50", "income-employment_cost": "300"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.amount_12m == Decimal("9600.50") and item.description == "更正"
    event = AuditEvent.objects.get(action="income.change")
    assert event.before["amount_12m"] == "12000.00" and event.after["amount_12m"] == "9600.50"
    # property too; another township's caseworker cannot reach the page
    prop = services.item_add(actor=users["zhandian_jingban"], household=household, item_type="property",
                             kind="house", value=Decimal("50000"))
    client.force_login(users["xitao_jingban"])
    assert client.get(f"/households/{household.pk}/property/{prop.pk}/edit/").status_code == 404
    assert PropertyItem.objects.get().value == Decimal("50000.00")


def test_household_and_member_forms_have_no_silent_defaults(client, users, head):
    """城市/农村 and 劳动能力 decide the standard and the means test: nothing is pre-selected for the user."""
    client.force_login(users["zhandian_jingban"])
    page = client.get("/households/new/").content.decode()
    assert '<option value="" selected>请选择</option>' in page
    r = client.post("/households/new/", {"village": "410823101200", "address": "何营东村1组"})
    assert r.status_code in (200, 400) and "该字段是必填项" in r.content.decode()
    page = client.get(f"/households/{head.household_id}/members/new/").content.decode()
    assert page.count('<option value="" selected>请选择</option>') >= 3


def test_meeting_form_publicity_text_follows_the_parameter(client, users):
    """The walk: the meeting form said 公示 7 天 whatever the city set, and from the meeting day even for a
    meeting recorded later."""
    import datetime as dt

    from accounts.parameters import services as param_services

    param_services.parameter_set(actor=users["shi_admin"], key="dibao.publicity_days", value=10,
                                 effective_from=dt.date(2020, 1, 1), reason="测试")
    client.force_login(users["zhandian_jingban"])
    text = client.get("/meetings/new/").content.decode()
    assert "公示 10 天" in text and "登记当日" in text and "公示 7 天" not in text
