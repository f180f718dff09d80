import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from charity.models import CharityFund
from charity.services import funds, mutual_aid, pairing, purchased
from core.models import Region

COUNTY, TOWNSHIP, VILLAGE = "410823", "410823101", "410823101200"


@pytest.fixture
def fund(users):
    f = funds.fund_create(actor=users["wuzhi_minzheng"], county=Region.objects.get(code=COUNTY),
                          name="武陟县社会救助专项基金", organisation="武陟县慈善总会")
    funds.fund_staff_add(actor=users["wuzhi_minzheng"], fund=f, user=users["wuzhi_cishan"])
    funds.donation_record(actor=users["wuzhi_cishan"], fund=f, donor="某爱心企业", amount=Decimal("5000.00"),
                          received_on=timezone.localdate())
    return CharityFund.objects.get(pk=f.pk)


@pytest.fixture
def society(users):
    s = mutual_aid.society_create(actor=users["heying_cun"], village=Region.objects.get(code=VILLAGE),
                                  name="何营东村救急难互助社", max_grant=Decimal("2000.00"), deciders="理事会集体研究决定")
    mutual_aid.contribution_record(actor=users["heying_cun"], society=s, contributor="张三丰", kind="money",
                                   amount=Decimal("3000.00"), received_on=timezone.localdate())
    s.refresh_from_db()
    return s


@pytest.fixture
def helper(users):
    return pairing.helper_create(actor=users["zhandian_jingban"], township=Region.objects.get(code=TOWNSHIP),
                                 name="秦勇", kind="cadre", user=users["zhandian_bangfu"])


@pytest.fixture
def contract(users):
    p = purchased.provider_create(actor=users["wuzhi_minzheng"], county=Region.objects.get(code=COUNTY),
                                  name="武陟县康养服务中心", credit_code="52410823MJ1234567X", contact_name="马丽",
                                  contact_phone="13903910001")
    purchased.provider_staff_add(actor=users["wuzhi_minzheng"], provider=p, user=users["wuzhi_fuwu"])
    today = timezone.localdate()
    return purchased.contract_create(
        actor=users["wuzhi_minzheng"], provider=p, number="WZ-FW-2026-01", start=today - dt.timedelta(days=60),
        end=today + dt.timedelta(days=300), budget=Decimal("1000.00"),
        prices={"care": ("hour", Decimal("30.00")), "visit": ("time", Decimal("50.00"))})
