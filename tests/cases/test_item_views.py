from decimal import Decimal

import pytest

from cases.models import IncomeItem, PropertyItem
from tests.factories import PersonFactory


@pytest.mark.django_db
def test_income_and_property_items_are_added_through_the_household_page(client, users):
    """§4 income/property items: the page's add forms carry their own `kind` (收入类别/财产类别) and save
    (was a 500: the item kind clashed with the URL's item type)."""
    head = PersonFactory(household__village="410823101200")
    household = head.household
    client.force_login(users["zhandian_jingban"])
    response = client.post(f"/households/{household.pk}/income/new/", {
        "income-person": head.pk, "income-kind": "wages", "income-description": "外出务工",
        "income-amount_12m": "12000.00", "income-employment_cost": "1500.00"})
    assert response.status_code == 302 and response["Location"].endswith("#income")
    income = IncomeItem.objects.get(household=household)
    assert (income.kind, income.amount_12m, income.employment_cost) == ("wages", Decimal("12000.00"),
                                                                          Decimal("1500.00"))
    response = client.post(f"/households/{household.pk}/property/new/", {
        "property-kind": "house", "property-description": "自建房", "property-quantity": "1",
        "property-value": "80000"})
    assert response.status_code == 302
    assert PropertyItem.objects.get(household=household).value == Decimal("80000.00")


@pytest.mark.django_db
def test_reviewer_cannot_add_income_items(client, users):
    """§3: the county reviewer reads but does not write: adding an item is 404 and saves nothing."""
    household = PersonFactory(household__village="410823101200").household
    client.force_login(users["wuzhi_choucha"])
    response = client.post(f"/households/{household.pk}/income/new/", {
        "income-kind": "wages", "income-amount_12m": "100", "income-employment_cost": "0"})
    assert response.status_code == 404
    assert not IncomeItem.objects.filter(household=household).exists()
