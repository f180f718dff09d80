"""§9 price subsidy for every category the param lists, for households enrolled through the procedure."""
from decimal import Decimal

import pytest

from accounts.parameters import services as parameter_services
from core.models import Region
from funds import services
from funds.models import PaymentLine
from tests.cases.lowincome_helpers import edge_household, enrol
from tests.funds.conftest import _card, price

pytestmark = pytest.mark.django_db


def test_price_subsidy_rule_reaches_an_enrolled_edge_household_and_rigid_when_listed(users, monkeypatch):
    hh = edge_household()
    ent = enrol(users, monkeypatch, hh).entitlement
    _card(hh, hh.members.first())
    price(users, cpi="2.80", food="6.40")
    county = Region.objects.get(code="410823")
    batch = services.batch_draft(actor=users["wuzhi_minzheng"], county=county, month=ent.start_month)
    line = PaymentLine.objects.get(batch=batch, household=hh)
    assert (line.category, line.basis, line.persons_covered) == ("price_subsidy", "dibao_edge", 3)
    assert line.amount == Decimal("99.84")  # 520 × 6.4 % × 3
    # the city adds 刚性支出困难 to the param: an enrolled 刚性支出困难 household is then subsidised too
    parameter_services.parameter_set(actor=users["shi_admin"], key="price.subsidy_categories",
                                     value="dibao,tekun_central,tekun_dispersed,dibao_edge,rigid_expense",
                                     effective_from=ent.start_month, reason="市政府文件扩大发放范围")
    from cases.models import Entitlement
    rigid = Entitlement.objects.create(household=hh, category="rigid_expense", persons_covered=3,
                                       monthly_amount=0, start_month=ent.start_month, county_id=hh.county_id,
                                       township_id=hh.township_id, village_id=hh.village_id)
    batch = services.batch_regenerate(actor=users["wuzhi_minzheng"], batch=batch)
    bases = set(PaymentLine.objects.filter(batch=batch, household=hh).values_list("basis", flat=True))
    assert bases == {"dibao_edge", "rigid_expense"} and rigid.pk


def test_single_person_household_subsidy_is_never_counted_twice(users, monkeypatch):
    """单人户: one member on 低保, three on the edge → subsidy for 1 + 3 persons, not 1 + 4."""
    import datetime as dt

    from tests.factories import PersonFactory, make_id
    hh = edge_household()
    from cases.models import IncomeItem
    IncomeItem.objects.filter(household=hh).update(amount_12m=Decimal("40000.00"))
    disabled = PersonFactory(household=hh, relationship="child", serious_illness="尿毒症",
                             id_number=make_id(hh.county_id, dt.date(1990, 2, 2)))
    enrol(users, monkeypatch, hh)
    single = enrol(users, monkeypatch, hh, kind="dibao", single_person=disabled).entitlement
    _card(hh, hh.members.first())
    price(users, cpi="2.80", food="6.40")
    batch = services.batch_draft(actor=users["wuzhi_minzheng"], county=Region.objects.get(code="410823"),
                                 month=single.start_month)
    subsidy = dict(PaymentLine.objects.filter(batch=batch, household=hh, category="price_subsidy")
                   .values_list("basis", "persons_covered"))
    assert subsidy == {"dibao": 1, "dibao_edge": 3}
