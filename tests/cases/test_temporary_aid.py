"""§4 临时救助: reserve fund never negative, 先行救助 cap and paperwork deadline, emergency-location rule."""
import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from cases.models import ReserveFund, ReserveFundEntry, TemporaryAid
from cases.temporary_aid import selectors as temporary_aid_selectors
from cases.temporary_aid import services as ta
from core.models import AuditEvent, Region
from demo.households import seed_standards
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
ZHANDIAN = "410823101"


@pytest.fixture
def fund(users):
    seed_standards()
    ta.reserve_fund_top_up(actor=users["wuzhi_minzheng"], township=Region.objects.get(code=ZHANDIAN),
                           amount=Decimal("5000.00"), note="拨付")
    return ReserveFund.objects.get(township_id=ZHANDIAN)


def _grant(users, household, amount, who="zhandian_shenpi", on=None):
    return ta.fast_grant(actor=users[who], household=household, aid_type="emergency", cause="家中失火",
                         amount=Decimal(amount), on=on)


def test_fast_grant_pays_from_fund_and_sets_paperwork_due(users, fund):
    """§4 小金额先行救助: paid at once; paperwork due in 5 working days (across National Day 2026)."""
    h = HouseholdFactory()
    aid = _grant(users, h, "3000.00", on=dt.date(2026, 9, 29))
    fund.refresh_from_db()
    assert fund.balance == Decimal("2000.00")
    # Working days after 9-29: 9-30, 10-8, 10-9, Saturday 10-10 (adjusted), 10-12.
    assert aid.paperwork_due == dt.date(2026, 10, 12)
    assert ReserveFundEntry.objects.filter(aid=aid, kind="disbursement", balance_after=Decimal("2000.00")).exists()
    assert AuditEvent.objects.filter(action="temporary_aid.fast_grant", object_id=str(aid.pk)).exists()


def test_cap_and_balance_are_enforced(users, fund):
    h = HouseholdFactory()
    with pytest.raises(ValidationError, match="不能超过3000"):
        _grant(users, h, "3000.01")
    _grant(users, h, "3000.00")
    with pytest.raises(ValidationError, match="余额不足"):
        _grant(users, HouseholdFactory(), "2000.01")  # another household: the same one is refused a repeat
    fund.refresh_from_db()
    assert fund.balance == Decimal("2000.00")
    assert TemporaryAid.objects.count() == 1


def test_only_the_township_leader_grants(users, fund):
    with pytest.raises(ValidationError, match="审批人"):
        _grant(users, HouseholdFactory(), "100", who="zhandian_jingban")


def test_balance_check_constraint_refuses_negative(users, fund):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReserveFund.objects.filter(pk=fund.pk).update(balance=Decimal("-0.01"))


def test_other_township_only_with_the_emergency_location_rule(users, fund):
    """§4: granted where the emergency happened only when the county switched the rule on."""
    stranger = HouseholdFactory(village="410823102200")  # 西陶镇 household, emergency in 詹店镇
    with pytest.raises(ValidationError, match="急难发生地"):
        _grant(users, stranger, "500")
    ta.emergency_rule_switch(actor=users["wuzhi_minzheng"], county=Region.objects.get(code="410823"),
                             start=dt.date.today(), reason="暴雨灾害")
    with pytest.raises(ValidationError, match="请填写急难发生地"):
        _grant(users, stranger, "500")
    aid = ta.fast_grant(actor=users["zhandian_shenpi"], household=stranger, aid_type="emergency", cause="家中失火",
                        amount=Decimal("500"), emergency_place="詹店镇何营东村国道旁")
    assert aid.handling_township_id == ZHANDIAN and aid.township_id == "410823102"
    # Both the handling township and the household's township see it; others don't.
    assert TemporaryAid.objects.restrict(users["zhandian_jingban"], "case.view").filter(pk=aid.pk).exists()
    assert TemporaryAid.objects.restrict(users["xitao_jingban"], "case.view").filter(pk=aid.pk).exists()
    assert not TemporaryAid.objects.restrict(users["xiangyun_jingban"], "case.view").filter(pk=aid.pk).exists()


def test_paperwork_overdue_listed_and_completion(users, fund):
    h = HouseholdFactory()
    old = _grant(users, h, "300", on=dt.date.today() - dt.timedelta(days=30))
    new = _grant(users, HouseholdFactory(), "300")  # one household gets one 先行救助 per period
    overdue = set(temporary_aid_selectors.aid_list(user=users["zhandian_jingban"], flt="overdue").values_list("pk", flat=True))
    assert overdue == {old.pk}
    with pytest.raises(ValidationError, match="至少10个字"):
        ta.paperwork_submit(actor=users["zhandian_jingban"], aid=new, paperwork="已核实")
    ta.paperwork_submit(actor=users["zhandian_jingban"], aid=new, paperwork="经入户核实情况属实，现金发放，凭证已归档。")
    new.refresh_from_db()
    assert new.status == TemporaryAid.Status.COMPLETED
    with pytest.raises(ValidationError):
        ta.paperwork_submit(actor=users["xitao_jingban"], aid=old, paperwork="经入户核实情况属实，现金发放，凭证已归档。")


def test_full_procedure_cap_is_n_times_standard(users, fund):
    h = HouseholdFactory()
    assert ta.full_procedure_cap(h) == Decimal("520.00") * 6  # rural demo standard × 6 months (param)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_disbursements_never_overdraw(users):
    """§4 on PostgreSQL: two leaders' disbursements at once; the row lock lets exactly one through."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for real row locks")
    seed_standards()
    ta.reserve_fund_top_up(actor=users["wuzhi_minzheng"], township=Region.objects.get(code=ZHANDIAN),
                           amount=Decimal("3000.00"), note="拨付")
    households = [HouseholdFactory(), HouseholdFactory()]  # two households: the fund's lock is what holds
    barrier, results = threading.Barrier(2), []

    def worker():
        from django.db import connection as conn

        try:
            barrier.wait()
            _grant(users, households.pop(), "2000.00")
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.messages[0])
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert any(r.startswith("备用金余额不足") for r in results), results
    assert ReserveFund.objects.get(township_id=ZHANDIAN).balance == Decimal("1000.00")


def test_pages(client, users, fund):
    h = HouseholdFactory()
    client.force_login(users["zhandian_shenpi"])
    resp = client.post(f"/temporary-aid/new/?household={h.pk}", {
        "household": h.pk, "aid_type": "emergency", "amount": "800.00", "cause": "突发疾病住院"})
    aid = TemporaryAid.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/temporary-aid/{aid.pk}/"
    assert client.get("/temporary-aid/funds/").status_code == 200
    client.force_login(users["xitao_jingban"])
    assert client.get(f"/temporary-aid/{aid.pk}/").status_code == 404
    client.force_login(users["wuzhi_caizheng"])
    assert client.get("/temporary-aid/").status_code == 404


def test_api_grant_paperwork_and_funds(client, users, fund):
    h = HouseholdFactory()
    client.force_login(users["zhandian_shenpi"])
    resp = client.post("/api/v1/temporary-aid/", {"household": h.pk, "aid_type": "expenditure", "amount": "1200.50",
                                                  "cause": "大病自付费用高"}, content_type="application/json")
    assert resp.status_code == 201, resp.content
    aid_id = resp.json()["id"]
    assert resp.json()["paperwork_overdue"] is False
    resp = client.post("/api/v1/temporary-aid/", {"household": h.pk, "aid_type": "expenditure", "amount": "3500",
                                                  "cause": "x"}, content_type="application/json")
    assert resp.status_code == 400 and "3000" in resp.content.decode()
    resp = client.post(f"/api/v1/temporary-aid/{aid_id}/paperwork/", {"paperwork": "经入户核实情况属实，现金发放。"},
                       content_type="application/json")
    assert resp.status_code == 200 and resp.json()["status"] == "completed"
    assert client.get(f"/api/v1/reserve-funds/{ZHANDIAN}/").json()["balance"] == "3799.50"
    client.force_login(users["xitao_jingban"])
    assert client.get(f"/api/v1/temporary-aid/{aid_id}/").status_code == 404
    assert client.get(f"/api/v1/reserve-funds/{ZHANDIAN}/").status_code == 404
    client.force_login(users["wuzhi_minzheng"])
    resp = client.post(f"/api/v1/reserve-funds/{ZHANDIAN}/top-up/", {"amount": "200.50", "note": "追加"},
                       content_type="application/json")
    assert resp.status_code == 200 and resp.json()["balance"] == "4000.00"


def test_full_procedure_runs_through_the_shared_state_machine(users, monkeypatch, fund):
    """§4: larger amounts follow the full procedure (same machine as 低保), capped at N × 低保标准."""
    from cases.dibao import workflow
    from tests.cases.dibao_helpers import to_awaiting_decision

    h = HouseholdFactory()
    with pytest.raises(ValidationError, match="不能超过3120"):
        ta.full_apply(actor=users["zhandian_jingban"], household=h, aid_type="expenditure", cause="大病",
                      amount=Decimal("3120.01"))
    app = ta.full_apply(actor=users["zhandian_jingban"], household=h, aid_type="expenditure",
                        cause="重病住院，自付费用高", amount=Decimal("3100.00"))
    aid = TemporaryAid.objects.get(application=app)
    assert (aid.track, aid.status, aid.granted_by) == ("full", "applying", None)
    app = to_awaiting_decision(users["zhandian_jingban"], app, monkeypatch)
    assert app.assessed_eligible and app.monthly_amount == Decimal("3100.00")
    workflow.transition(actor=users["zhandian_shenpi"], application=app, action="confirm")
    aid.refresh_from_db()
    app.refresh_from_db()
    assert (aid.status, aid.granted_by) == ("completed", users["zhandian_shenpi"])
    assert app.status == "confirmed" and app.entitlement is None  # a one-off grant, no monthly entitlement
    fund.refresh_from_db()
    assert fund.balance == Decimal("5000.00")  # not paid from the township reserve fund


def test_fast_aid_linked_to_a_pending_application(users, fund):
    """§4: aid while a 低保 application is pending is linked to it and shown in the household file."""
    from cases.dibao import workflow
    from cases.models import Application

    h = HouseholdFactory()
    from tests.factories import PersonFactory

    PersonFactory(household=h)
    pending = workflow.application_accept(actor=users["zhandian_jingban"], household=h, reason="生活困难")
    aid = ta.fast_grant(actor=users["zhandian_shenpi"], household=h, aid_type="emergency", cause="断炊",
                        amount=Decimal("500"), related_application=pending)
    assert aid.related_application == pending and list(pending.temporary_aids.all()) == [aid]
    other = Application.objects.create(
        kind="dibao", household=HouseholdFactory(), handling_township_id=ZHANDIAN, handling_county_id="410823",
        reason="x", deadline=dt.date(2027, 1, 1), registered_by=users["zhandian_jingban"], county_id="410823",
        township_id=ZHANDIAN, village_id="410823101200")
    with pytest.raises(ValidationError, match="本家庭"):
        ta.fast_grant(actor=users["zhandian_shenpi"], household=h, aid_type="emergency", cause="断炊",
                      amount=Decimal("100"), related_application=other)


def test_api_grant_for_a_household_out_of_reach_is_not_found(client, users, fund):
    """§0: the API answers an out-of-reach household like an absent one (404), as the page does; with the
    county's emergency-location rule on, the township where the emergency happened may grant."""
    stranger = HouseholdFactory(village="410823102200")  # 西陶镇 household, emergency in 詹店镇
    client.force_login(users["zhandian_shenpi"])
    body = {"household": stranger.pk, "aid_type": "emergency", "amount": "500.00", "cause": "在外务工时受伤"}
    for pk in (stranger.pk, 10**9):
        resp = client.post("/api/v1/temporary-aid/", {**body, "household": pk}, content_type="application/json")
        assert resp.status_code == 404, resp.content
    assert client.get(f"/temporary-aid/new/?household={stranger.pk}").status_code == 404
    ta.emergency_rule_switch(actor=users["wuzhi_minzheng"], county=Region.objects.get(code="410823"),
                             start=dt.date(2020, 1, 1), reason="暴雨灾害")
    resp = client.post("/api/v1/temporary-aid/", body, content_type="application/json")
    assert resp.status_code == 400 and "急难发生地" in resp.content.decode()
    resp = client.post("/api/v1/temporary-aid/", {**body, "emergency_place": "詹店镇工地"},
                       content_type="application/json")
    assert resp.status_code == 201, resp.content
    assert client.get(f"/temporary-aid/new/?household={stranger.pk}").status_code == 200
