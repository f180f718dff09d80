"""§4 + issue #15: one 先行救助 per household per emergency within a period, capped totals within a rolling
period, the same for the general procedure, and exactly one grant out of 20 parallel requests (PostgreSQL),
even when two townships grant from two funds under the 急难发生地 rule."""
import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from cases.models import ReserveFund, ReserveFundEntry, TemporaryAid
from cases.temporary_aid import services as ta
from core import params
from core.models import Region
from demo.households import seed_standards
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db
ZHANDIAN, XITAO = "410823101", "410823102"
DAY = dt.date(2026, 6, 1)


def _fund(users, township=ZHANDIAN, amount="50000.00"):
    ta.reserve_fund_top_up(actor=users["wuzhi_minzheng"], township=Region.objects.get(code=township),
                           amount=Decimal(amount), note="拨付")


@pytest.fixture
def funded(users):
    seed_standards()
    _fund(users)
    return users


def _xitao_leader(users):
    from accounts.models import Role, User

    users["xitao_shenpi"] = User.objects.create(username="xitao_shenpi", role=Role.TOWNSHIP_LEADER,
                                                region=Region.objects.get(code=XITAO), full_name="西陶镇审批 测试")
    return users


def _param(users, key, value):
    params.parameter_write(actor=users["shi_admin"], key=key, value=value, effective_from=dt.date(2020, 1, 1),
                           reason="测试")


def _grant(users, household, amount="1000.00", who="zhandian_shenpi", on=DAY, place=""):
    return ta.fast_grant(actor=users[who], household=household, aid_type="emergency", cause="家中失火",
                         amount=Decimal(amount), on=on, emergency_place=place)


def test_second_fast_grant_within_the_period_is_refused_in_chinese(funded):
    users = funded
    h = HouseholdFactory()
    _grant(users, h, on=DAY)
    with pytest.raises(ValidationError) as exc:
        _grant(users, h, "500.00", on=DAY + dt.timedelta(days=89))
    assert "2026年06月01日" in exc.value.messages[0] and "90天内只能先行救助一次" in exc.value.messages[0]
    assert TemporaryAid.objects.filter(household=h).count() == 1
    _grant(users, h, "500.00", on=DAY + dt.timedelta(days=90))  # a new period: a new emergency may be helped
    assert TemporaryAid.objects.filter(household=h).count() == 2


def test_fast_total_within_the_rolling_period_is_capped(funded):
    users = funded
    _param(users, "temp_aid.repeat_days", 1)
    h = HouseholdFactory()
    for i in range(3):  # 3 × 2,000 = the 6,000 cap
        _grant(users, h, "2000.00", on=DAY + dt.timedelta(days=10 * i))
    with pytest.raises(ValidationError, match="先行救助累计上限6000.00元"):
        _grant(users, h, "0.01", on=DAY + dt.timedelta(days=40))
    _grant(users, h, "2000.00", on=DAY + dt.timedelta(days=366))  # the first grant left the rolling window


def test_refused_aid_counts_for_nothing(funded):
    users = funded
    h = HouseholdFactory()
    aid = _grant(users, h, on=DAY)
    TemporaryAid.objects.filter(pk=aid.pk).update(status=TemporaryAid.Status.REFUSED)
    _grant(users, h, on=DAY + dt.timedelta(days=1))


def test_another_township_under_the_location_rule_is_refused_too(funded):
    """The 急难发生地 rule lets another township grant from its own fund: the household limit still holds."""
    users = _xitao_leader(funded)
    _fund(users, XITAO)
    ta.emergency_rule_switch(actor=users["wuzhi_minzheng"], county=Region.objects.get(code="410823"),
                             start=dt.date(2026, 1, 1), reason="暴雨灾害")
    h = HouseholdFactory(village="410823101200")
    _grant(users, h, on=DAY)
    with pytest.raises(ValidationError, match="由詹店镇先行救助"):
        _grant(users, h, on=DAY, who="xitao_shenpi", place="西陶镇务工途中")
    assert ReserveFund.objects.get(township_id=XITAO).balance == Decimal("50000.00")


def test_general_procedure_no_duplicate_and_total_cap(funded):
    users = funded
    h = HouseholdFactory()  # rural: 520 × 12 = 6,240 within the rolling year
    _param(users, "temp_aid.repeat_days", 1)
    app = ta.full_apply(actor=users["zhandian_jingban"], household=h, aid_type="expenditure", cause="重病住院",
                        amount=Decimal("3000.00"))
    with pytest.raises(ValidationError, match=f"已有办理中的临时救助申请（{app.number}）"):
        ta.full_apply(actor=users["zhandian_jingban"], household=h, aid_type="expenditure", cause="重病住院",
                      amount=Decimal("100.00"))
    _grant(users, h, "3000.00", on=dt.date.today())  # 先行救助 then the general procedure is allowed …
    with pytest.raises(ValidationError, match="累计上限6240.00元"):  # … but 3,000 + 3,000 + 300 > 6,240
        _grant(users, h, "300.00", on=dt.date.today() + dt.timedelta(days=5))


def test_ledger_note_carries_no_name(funded):
    users = funded
    head = PersonFactory(name="王小明")
    aid = _grant(users, head.household)
    entry = ReserveFundEntry.objects.get(aid=aid)
    assert "王小明" not in entry.note and entry.note == f"先行救助 第{aid.pk}号"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_parallel_grants_pay_exactly_once(users):
    """20 requests at once, from two townships and two funds: exactly one grant, 19 refusals in Chinese."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for real row locks")
    seed_standards()
    _xitao_leader(users)
    _fund(users)
    _fund(users, XITAO)
    ta.emergency_rule_switch(actor=users["wuzhi_minzheng"], county=Region.objects.get(code="410823"),
                             start=dt.date(2026, 1, 1), reason="暴雨灾害")
    h = HouseholdFactory(village="410823101200")
    n = 20
    barrier, results = threading.Barrier(n), [None] * n

    def worker(i):
        try:
            barrier.wait()
            _grant(users, h, "1000.00", who="zhandian_shenpi" if i % 2 else "xitao_shenpi", on=dt.date.today(),
                   place="" if i % 2 else "西陶镇务工途中")
            results[i] = "ok"
        except ValidationError as exc:
            results[i] = exc.messages[0]
        except Exception as exc:  # noqa: BLE001 - a deadlock or 500 would show here
            results[i] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results.count("ok") == 1, results
    assert all("只能先行救助一次" in r for r in results if r != "ok"), results
    assert TemporaryAid.objects.filter(household=h).count() == 1
    total = sum(ReserveFund.objects.values_list("balance", flat=True))
    assert total == Decimal("99000.00")
