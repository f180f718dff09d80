"""§8/§10 rules: two-person approval, balances never negative, referral due dates and outcomes, society rules,
pairing scope and unpaired households, contract budgets and coverage gaps, the new roles' reach."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Entitlement, Household, TekunProfile
from charity import selectors
from charity.models import CharityFund, CharityGrant, FundEntry, Pairing, Referral, ServiceContract, ServiceOrder
from charity.services import funds, mutual_aid, pairing, purchased, referrals
from core.models import AuditEvent, Region
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _propose(users, h, amount="1200.00", who="zhandian_jingban", referral=None):
    return funds.grant_propose(actor=users[who], household=h, reason="illness", detail="户主患尿毒症需长期透析",
                               amount=Decimal(amount), referral=referral)


def test_grant_needs_two_different_people_and_moves_the_balance(users, fund):
    h = HouseholdFactory()
    grant = _propose(users, h)
    with pytest.raises(ValidationError, match="须由县级民政部门或慈善组织审批"):
        funds.grant_decide(actor=users["zhandian_jingban"], grant=grant, approve=True)
    funds.grant_decide(actor=users["wuzhi_cishan"], grant=grant, approve=True)
    fund.refresh_from_db()
    assert fund.balance == Decimal("3800.00")
    entry = FundEntry.objects.get(grant=grant)
    assert entry.kind == "grant" and entry.balance_after == Decimal("3800.00")
    assert AuditEvent.objects.filter(action="charity_grant.approve", object_id=str(grant.pk)).exists()
    with pytest.raises(ValidationError, match="已审批"):
        funds.grant_decide(actor=users["wuzhi_minzheng"], grant=grant, approve=True)


def test_the_proposer_never_approves_even_with_both_powers(users, fund):
    """Two-person rule in the service and in the database (CHECK decided_by <> proposed_by)."""
    grant = _propose(users, HouseholdFactory())
    with pytest.raises(ValidationError, match="两人"):
        funds.grant_decide(actor=_as_approver(users), grant=grant, approve=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        CharityGrant.objects.filter(pk=grant.pk).update(decided_by=grant.proposed_by)


def _as_approver(users):
    """The proposer, given the approving role for the test: the rule is about persons, not roles."""
    proposer = users["zhandian_jingban"]
    proposer.role, proposer.region = "county_officer", Region.objects.get(code="410823")
    return proposer


def test_rejection_needs_a_reason_and_leaves_the_balance(users, fund):
    grant = _propose(users, HouseholdFactory())
    with pytest.raises(ValidationError):
        funds.grant_decide(actor=users["wuzhi_minzheng"], grant=grant, approve=False, note="")
    funds.grant_decide(actor=users["wuzhi_minzheng"], grant=grant, approve=False, note="已获其他救助")
    fund.refresh_from_db()
    assert fund.balance == Decimal("5000.00")


def test_balance_never_negative(users, fund):
    grant = _propose(users, HouseholdFactory(), amount="5000.01")
    with pytest.raises(ValidationError, match="余额不足"):
        funds.grant_decide(actor=users["wuzhi_minzheng"], grant=grant, approve=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        CharityFund.objects.filter(pk=fund.pk).update(balance=Decimal("-1"))


def test_payment_record_after_approval_only(users, fund):
    grant = _propose(users, HouseholdFactory())
    with pytest.raises(ValidationError, match="已批准"):
        funds.grant_pay(actor=users["wuzhi_cishan"], grant=grant, paid_on=TODAY(), reference="PZ001")
    funds.grant_decide(actor=users["wuzhi_minzheng"], grant=grant, approve=True)
    grant = funds.grant_pay(actor=users["wuzhi_cishan"], grant=grant, paid_on=TODAY(), reference="PZ001")
    assert grant.status == "paid" and grant.payment_reference == "PZ001"


def test_referral_due_date_and_outcome_through_the_grant(users, fund):
    h = HouseholdFactory()
    r = referrals.referral_create(actor=users["zhandian_jingban"], household=h, source="temp_aid_cap",
                                  target="fund", need="临时救助已达上限，医疗费仍缺口较大", amount_asked=Decimal("2000"))
    assert r.due_on > TODAY() and r.fund_id == fund.pk and r.status == "open"
    grant = _propose(users, h, amount="1500.00", referral=r)
    funds.grant_decide(actor=users["wuzhi_cishan"], grant=grant, approve=True)
    r.refresh_from_db()
    assert r.status == "granted" and "1500" in r.outcome and r.outcome_on == TODAY()
    # an overdue open referral is listed as such
    r2 = referrals.referral_create(actor=users["zhandian_jingban"], household=h, source="refused", target="fund",
                                   need="申请未获确认但确有困难", amount_asked=Decimal("500"))
    Referral.objects.filter(pk=r2.pk).update(due_on=TODAY() - dt.timedelta(days=1))
    assert list(selectors.referrals(user=users["wuzhi_minzheng"], status="overdue")) == [Referral.objects.get(pk=r2.pk)]


def test_referral_to_a_society_needs_one_and_refuses_other_townships(users, fund):
    h = HouseholdFactory()
    with pytest.raises(ValidationError, match="互助社"):
        referrals.referral_create(actor=users["zhandian_jingban"], household=h, source="other", target="society",
                                  need="突发火灾急需生活用品", amount_asked=Decimal("800"))
    with pytest.raises(ValidationError, match="管辖范围"):
        referrals.referral_create(actor=users["xitao_jingban"], household=h, source="other", target="fund",
                                  need="突发火灾急需生活用品", amount_asked=Decimal("800"))


def test_society_rules_balance_and_public_account(users, society):
    h = HouseholdFactory(head_name="欧阳明月")
    with pytest.raises(ValidationError, match="单次上限"):
        mutual_aid.society_grant(actor=users["heying_cun"], society=society, household=h, amount=Decimal("2000.01"),
                                 reason="房屋失火", decided_on=TODAY(), decision="理事会集体研究同意")
    mutual_aid.society_grant(actor=users["heying_cun"], society=society, household=h, amount=Decimal("2000.00"),
                             reason="房屋失火", decided_on=TODAY(), decision="理事会集体研究同意")
    with pytest.raises(ValidationError, match="余额不足"):
        mutual_aid.society_grant(actor=users["heying_cun"], society=society, household=h, amount=Decimal("1000.01"),
                                 reason="再次困难", decided_on=TODAY(), decision="理事会集体研究同意")
    mutual_aid.contribution_record(actor=users["heying_cun"], society=society, contributor="李四", kind="in_kind",
                                   amount=Decimal("300"), goods="大米10袋", received_on=TODAY())
    society.refresh_from_db()
    assert society.balance == Decimal("1000.00")  # goods in kind are not money
    account = selectors.society_public_account(society, TODAY().year)
    assert account.closing == Decimal("1000.00") and account.in_kind == Decimal("300.00")
    assert account.grants[0][0] == "欧阳*月" and account.contributions[0][0] == "张*丰"
    with pytest.raises(ValidationError):  # another village's staff
        other = HouseholdFactory(village="410823101201")
        mutual_aid.society_grant(actor=users["heying_cun"], society=society, household=other, amount=Decimal("1"),
                                 reason="x", decided_on=TODAY(), decision="理事会研究同意")


def test_helper_sees_only_own_pairings_and_logs_contacts(users, helper):
    mine, other = HouseholdFactory(), HouseholdFactory()
    p = pairing.pairing_create(actor=users["zhandian_jingban"], helper=helper, household=mine,
                               start=TODAY() - dt.timedelta(days=10))
    second = pairing.helper_create(actor=users["zhandian_jingban"], township=helper.township, name="某企业",
                                   kind="company")
    q = pairing.pairing_create(actor=users["zhandian_jingban"], helper=second, household=other, start=TODAY())
    helper_user = users["zhandian_bangfu"]
    assert list(selectors.pairings(user=helper_user)) == [p]
    pairing.contact_log(actor=helper_user, pairing=p, on=TODAY(), way="visit", help_given="送米面油",
                        value=Decimal("200"))
    with pytest.raises(ValidationError, match="无权|管辖"):
        pairing.contact_log(actor=helper_user, pairing=q, on=TODAY(), way="visit", help_given="x")
    with pytest.raises(ValidationError):
        pairing.pairing_create(actor=users["zhandian_jingban"], helper=helper, household=mine, start=TODAY())


def test_unpaired_households_follow_the_policy_param(users, helper):
    urban = HouseholdFactory(hukou_type="urban")
    rural = HouseholdFactory(hukou_type="rural")
    for h in (urban, rural):
        Entitlement.objects.create(household=h, category="dibao", status="active", persons_covered=1,
                                   monthly_amount=Decimal("500"), start_month=dt.date(2026, 1, 1),
                                   county_id=h.county_id, township_id=h.township_id, village_id=h.village_id)
    rows = list(selectors.unpaired_households(user=users["zhandian_jingban"]))
    assert rows == [urban]  # default: urban 低保 and 分散特困
    pairing.pairing_create(actor=users["zhandian_jingban"], helper=helper, household=urban, start=TODAY())
    assert list(selectors.unpaired_households(user=users["zhandian_jingban"])) == []
    assert list(selectors.unpaired_households(user=users["xitao_jingban"])) == []


def _tekun(level, status="supported"):
    person = PersonFactory()
    h = person.household
    return TekunProfile.objects.create(person=person, household=h, status=status, form="dispersed",
                                       self_care_level=level, county_id=h.county_id, township_id=h.township_id,
                                       village_id=h.village_id)


def test_coverage_gaps_and_orders(users, contract):
    semi, total, able, assessing = _tekun("semi"), _tekun("total"), _tekun("self_care"), _tekun("total", "assessing")
    gaps = {t.pk for t in selectors.coverage_gaps(user=users["wuzhi_minzheng"])}
    assert gaps == {semi.pk, total.pk}
    purchased.order_create(actor=users["zhandian_jingban"], contract=contract, person=semi.person, kind="care",
                           start=TODAY())
    gaps = {t.pk for t in selectors.coverage_gaps(user=users["wuzhi_minzheng"])}
    assert gaps == {total.pk}
    assert not list(selectors.coverage_gaps(user=users["xitao_jingban"]))
    assert able and assessing


def test_records_cost_against_budget_with_warning(users, contract):
    person = PersonFactory()
    order = purchased.order_create(actor=users["zhandian_jingban"], contract=contract, person=person, kind="care",
                                   start=TODAY() - dt.timedelta(days=5))
    rec = purchased.record_add(actor=users["wuzhi_fuwu"], order=order, on=TODAY(), hours=Decimal("10"),
                               content="助浴、打扫", staff_name="护理员甲", confirmed_by="family", confirmer_name="王五")
    assert rec.cost == Decimal("300.00")
    purchased.record_add(actor=users["wuzhi_fuwu"], order=order, on=TODAY(), hours=Decimal("20"), content="照料",
                         staff_name="护理员甲", confirmed_by="person", confirmer_name="本人")
    contract.refresh_from_db()
    assert contract.spent == Decimal("900.00") and selectors.budget_state(contract) == "warning"
    with pytest.raises(ValidationError, match="超出合同预算"):
        purchased.record_add(actor=users["wuzhi_fuwu"], order=order, on=TODAY(), hours=Decimal("4"), content="照料",
                             staff_name="护理员甲", confirmed_by="person", confirmer_name="本人")
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceContract.objects.filter(pk=contract.pk).update(spent=Decimal("1000.01"))


def test_new_roles_reach_only_their_own(users, fund, contract, helper):
    """Charity staff: their fund only; provider staff: their provider's orders only; helper: their pairings."""
    h = HouseholdFactory()
    grant = _propose(users, h)
    assert list(selectors.grants(user=users["wuzhi_cishan"])) == [grant]
    assert list(selectors.funds(user=users["wuzhi_cishan"])) == [fund]
    fund.staff.clear()
    assert not selectors.grants(user=users["wuzhi_cishan"]).exists()
    with pytest.raises(ValidationError):
        funds.grant_decide(actor=users["wuzhi_cishan"], grant=grant, approve=True)
    order = purchased.order_create(actor=users["zhandian_jingban"], contract=contract, person=PersonFactory(),
                                   kind="visit", start=TODAY())
    assert list(selectors.orders(user=users["wuzhi_fuwu"])) == [order]
    contract.provider.staff.clear()
    assert not selectors.orders(user=users["wuzhi_fuwu"]).exists()
    with pytest.raises(ValidationError):
        purchased.record_add(actor=users["wuzhi_fuwu"], order=order, on=TODAY(), hours=Decimal("1"), content="探访",
                             staff_name="甲", confirmed_by="person", confirmer_name="本人")
    assert not Pairing.objects.restrict(users["zhandian_bangfu"], "pairing.view").exists()
    # none of them reaches the household registry
    for name in ("wuzhi_cishan", "wuzhi_fuwu", "zhandian_bangfu"):
        assert not Household.objects.restrict(users[name], "case.view").exists()
    assert ServiceOrder.objects.count() == 1


def test_overdue_referrals_reach_the_overdue_board(users, fund, client):
    h = HouseholdFactory()
    r = referrals.referral_create(actor=users["zhandian_jingban"], household=h, source="other", target="fund",
                                  need="突发重大变故急需帮助", amount_asked=Decimal("900"))
    Referral.objects.filter(pk=r.pk).update(due_on=TODAY() - dt.timedelta(days=2))
    client.force_login(users["zhandian_jingban"])
    body = client.get("/overdue/").content.decode()
    assert "转介慈善帮扶办理" in body and f"/charity/referrals/{r.pk}/" in body
    client.force_login(users["xitao_jingban"])
    assert f"/charity/referrals/{r.pk}/" not in client.get("/overdue/").content.decode()
