"""§4 + §6 临时救助 paid exactly once: fast track from the reserve fund (never in a batch); a confirmed full-procedure
grant through a one-off batch (kind one_off) along the same 5th/8th/10th → finance → bank → results path."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from rest_framework.test import APIClient

from cases.dibao import workflow
from cases.models import TemporaryAid
from cases.temporary_aid import services as ta
from core.models import Region
from funds import bankresults, deadlines, one_off, services
from funds.models import PaymentBatch, PaymentLine
from tests.cases.dibao_helpers import to_awaiting_decision
from tests.factories import HouseholdFactory, PersonFactory
from tests.funds.conftest import _card
from tests.funds.test_exports_and_bank import _result_rows, _xlsx

pytestmark = pytest.mark.django_db
S = PaymentBatch.Status


def confirmed_aid(users, monkeypatch, amount="3100.00", card=True):
    from django.utils import timezone

    real = timezone.localdate
    head = PersonFactory(household__village="410823101200")
    h = head.household
    if card:
        _card(h, head)
    app = ta.full_apply(actor=users["zhandian_jingban"], household=h, aid_type="expenditure", cause="重病住院",
                        amount=Decimal(amount))
    to_awaiting_decision(users["zhandian_jingban"], app, monkeypatch)
    workflow.transition(actor=users["zhandian_shenpi"], application=app, action="confirm")
    monkeypatch.setattr(timezone, "localdate", real)
    return TemporaryAid.objects.get(application=app)


@pytest.fixture
def wuzhi(users, standards):
    return Region.objects.get(code="410823")


def test_one_off_rule_confirmed_aid_paid_once_through_the_same_cycle(users, wuzhi, monkeypatch):
    aid = confirmed_aid(users, monkeypatch)
    officer, finance = users["wuzhi_minzheng"], users["wuzhi_caizheng"]
    batch = one_off.one_off_draft(actor=officer, county=wuzhi)
    assert batch.kind == "one_off" and batch.line_count == 1 and batch.total_amount == Decimal("3100.00")
    line = PaymentLine.objects.get(batch=batch)
    assert (line.category, line.basis, line.amount) == ("temporary_aid", f"aid:{aid.pk}", Decimal("3100.00"))
    assert set(deadlines.schedule(batch.month)) == {"data", "finance", "bank"}  # the 5th/8th/10th apply
    with pytest.raises(ValidationError, match="没有已审核确认、待发放"):
        one_off.one_off_draft(actor=officer, county=wuzhi)  # never twice
    batch = services.batch_transition(actor=officer, batch=batch, to=S.FINALISED)
    batch = services.batch_transition(actor=officer, batch=batch, to=S.FUNDS_REQUESTED)
    with pytest.raises(ValidationError):  # the one who prepares never approves the funds
        services.batch_transition(actor=officer, batch=batch, to=S.TRANSFERRED, reference="x")
    batch = services.batch_transition(actor=finance, batch=batch, to=S.TRANSFERRED, reference="武财拨〔2026〕88号")
    batch = services.batch_transition(actor=officer, batch=batch, to=S.SENT_TO_BANK)
    bankresults.bank_result_import(actor=officer, batch=batch, name="r.xlsx", data=_xlsx(_result_rows(batch)))
    assert one_off.paid_total(aid.pk) == Decimal("3100.00")
    # the monthly regular batch never pays it
    regular = services.batch_draft(actor=officer, county=wuzhi, month=batch.month)
    assert not PaymentLine.objects.filter(batch=regular, category="temporary_aid").exists()


def test_one_off_rule_fast_track_never_enters_a_batch_and_no_card_waits(users, wuzhi, monkeypatch):
    ta.reserve_fund_top_up(actor=users["wuzhi_minzheng"], township=Region.objects.get(code="410823101"),
                           amount=Decimal("5000.00"), note="拨付")
    fast = ta.fast_grant(actor=users["zhandian_shenpi"], household=HouseholdFactory(), aid_type="emergency",
                         cause="家中失火", amount=Decimal("2000.00"))
    no_card = confirmed_aid(users, monkeypatch, amount="1500.00", card=False)
    batch = one_off.one_off_draft(actor=users["wuzhi_minzheng"], county=wuzhi)
    lines = list(PaymentLine.objects.filter(batch=batch))
    assert [ln.basis for ln in lines] == [f"aid:{no_card.pk}"] and lines[0].excluded
    assert f"aid:{fast.pk}" not in PaymentLine.objects.values_list("basis", flat=True)
    # the card is registered: the next one-off batch pays it (the excluded line claimed nothing)
    _card(no_card.household, no_card.household.members.first())
    again = one_off.one_off_draft(actor=users["wuzhi_minzheng"], county=wuzhi)
    assert PaymentLine.objects.get(batch=again).excluded is False


def test_one_off_batches_through_the_api(users, wuzhi, monkeypatch):
    confirmed_aid(users, monkeypatch)
    api = APIClient()
    api.force_authenticate(users["zhandian_jingban"])
    assert api.post("/api/v1/payment-batches/", {"kind": "one_off"}, format="json").status_code == 403
    api.force_authenticate(users["wuzhi_minzheng"])
    r = api.post("/api/v1/payment-batches/", {"kind": "one_off"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["kind"] == "one_off" and r.json()["total_amount"] == "3100.00"
    r = api.post("/api/v1/payment-batches/", {"kind": "one_off"}, format="json")
    assert r.status_code == 400 and "待发放" in r.content.decode()


def test_one_off_page(client, users, wuzhi, monkeypatch):
    confirmed_aid(users, monkeypatch)
    client.force_login(users["wuzhi_minzheng"])
    body = client.get("/funds/batches/").content.decode()
    assert "临时救助一次性发放" in body and "当前待发放 1 笔" in body
    r = client.post("/funds/batches/one-off/")
    assert r.status_code == 302
    assert PaymentBatch.objects.filter(kind="one_off").count() == 1
    client.force_login(users["wuzhi_caizheng"])
    assert client.post("/funds/batches/one-off/").status_code in (403, 404)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_off_rule_two_parallel_drafts_pay_once(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")
    import io

    from accounts.models import User
    from demo import users as demo
    from demo.households import seed_standards
    from tests.funds.test_concurrency import race

    demo.seed(io.StringIO())
    seed_standards()
    users = {u.username: u for u in User.objects.select_related("region")}
    confirmed_aid(users, monkeypatch)
    county = Region.objects.get(code="410823")
    results = race(lambda: one_off.one_off_draft(actor=users["wuzhi_minzheng"], county=county))
    assert sorted(r[0] for r in results) == ["error", "ok"]
    assert PaymentLine.objects.filter(category="temporary_aid", claims_slot=True).count() == 1


__all__ = ["dt"]


def test_one_off_numbers_paid_lines_first(users, wuzhi, monkeypatch):
    """序号 of a one-off batch: the paid lines 1..N without gaps (the file and the bank's results), then the excluded."""
    no_card = confirmed_aid(users, monkeypatch, amount="1500.00", card=False)
    paid = confirmed_aid(users, monkeypatch, amount="1600.00")
    batch = one_off.one_off_draft(actor=users["wuzhi_minzheng"], county=wuzhi)
    numbers = dict(PaymentLine.objects.filter(batch=batch).values_list("basis", "line_no"))
    assert numbers == {f"aid:{paid.pk}": 1, f"aid:{no_card.pk}": 2}
