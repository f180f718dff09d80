import datetime as dt
import io
import random
from decimal import Decimal

import pytest

from cases.models import Entitlement, PaymentHold
from core.models import Region
from demo.payments import synthetic_card
from funds import services
from funds.models import PriceIndex
from tests.factories import PersonFactory

MONTH = dt.date(2026, 12, 1)
_rng = random.Random(99)


@pytest.fixture
def standards(db):
    from demo.households import seed_standards

    seed_standards()  # demo 低保标准: urban 650, rural 520 per person per month in every county


@pytest.fixture
def wuzhi(db):
    return Region.objects.get(code="410823")


def make_paid(category="dibao", amount="500.00", persons=2, *, village="410823101200", card=True, status="active",
              hukou="rural", start=dt.date(2026, 1, 1), officer=None):
    """A household with a head, an entitlement and (optionally) a registered card."""
    head = PersonFactory(household__village=village, household__hukou_type=hukou)
    household = head.household
    ent = Entitlement.objects.create(household=household, category=category, status=status, persons_covered=persons,
                                     monthly_amount=Decimal(amount), start_month=start, county_id=household.county_id,
                                     township_id=household.township_id, village_id=household.village_id)
    if card:
        services.payee_set(actor=officer, household=household, card_number=synthetic_card(_rng),
                           bank_name="中国农业银行焦作分行") if officer else _card(household, head)
    return household, ent


def _card(household, head):
    from funds.models import PayeeAccount

    acc = PayeeAccount(household=household, person=head, payee_name=head.name, bank_name="中国农业银行焦作分行",
                       county_id=household.county_id, township_id=household.township_id, village_id=household.village_id)
    acc.set_card(synthetic_card(_rng))
    acc.save()
    return acc


def hold(household, kind="death", reason="死亡比对：疑似死亡"):
    return PaymentHold.objects.create(household=household, kind=kind, reason=reason, county_id=household.county_id,
                                      township_id=household.township_id, village_id=household.village_id)


def price(users, month=dt.date(2026, 11, 1), cpi="2.80", food="6.40"):
    return PriceIndex.objects.create(month=month, cpi_yoy=Decimal(cpi), food_cpi_yoy=Decimal(food),
                                     entered_by=users["shi_admin"])


def to_sent(batch, users):
    """Walk a draft through finalise → funds requested → transferred → sent to bank."""
    officer, finance = users["wuzhi_minzheng"], users["wuzhi_caizheng"]
    S = batch.Status
    batch = services.batch_transition(actor=officer, batch=batch, to=S.FINALISED)
    batch = services.batch_transition(actor=officer, batch=batch, to=S.FUNDS_REQUESTED)
    batch = services.batch_transition(actor=finance, batch=batch, to=S.TRANSFERRED, reference="武财拨〔2026〕12号")
    return services.batch_transition(actor=officer, batch=batch, to=S.SENT_TO_BANK)


@pytest.fixture
def out():
    return io.StringIO()
