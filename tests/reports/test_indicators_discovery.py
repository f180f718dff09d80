"""The indicators of active discovery, status changes and charity referrals, each built to fail on purpose: the
failure is made, the number moves, the case is in the drill-down list, and out of scope it is not counted."""
import datetime as dt
from decimal import Decimal

import pytest

from cases.models import Application, Household, Recheck
from charity.models import CharityFund, Referral
from discovery.models import LedgerRecord, Visit
from reports import registry
from tests.factories import PersonFactory
from tests.reports.test_indicators import HEYING, WENXIAN_VILLAGE, entitled, listed, tz, value

pytestmark = pytest.mark.django_db


def test_visit_overdue_per_the_groups_cycle(users):
    officer = users["wuzhi_minzheng"]
    before = value(officer, "visits_overdue")
    head, ent = entitled(category="dibao")  # 低保: cycle 90 days
    h = head.household
    Household.objects.filter(pk=h.pk).update(created_at=tz(dt.date(2026, 5, 1)))
    assert value(officer, "visits_overdue") == before + 1
    assert h.pk in [r.pk for r in listed(officer, "visits_overdue")]
    assert value(users["wenxian_minzheng"], "visits_overdue", region="410825") == 0
    Visit.objects.create(household=h, visited_on=dt.date(2026, 10, 15), visitor=users["zhandian_jingban"],
                         seen="户主", county_id=h.county_id, township_id=h.township_id, village_id=h.village_id)
    assert value(officer, "visits_overdue") == before  # visited within 90 days of 30 November
    other = PersonFactory(household__village=HEYING).household  # no entitlement: cycle 365 days
    Household.objects.filter(pk=other.pk).update(created_at=tz(dt.date(2026, 5, 1)))
    assert value(officer, "visits_overdue") == before


def record(users, *, due, village=HEYING, status="open", **kw):
    h = PersonFactory(household__village=village).household
    return LedgerRecord.objects.create(household=h, subject_name=h.head_name, source="visit",
                                       found_on=dt.date(2026, 11, 1), need="因病致贫", due_date=due, status=status,
                                       created_at=tz(dt.date(2026, 11, 1)), county_id=h.county_id,
                                       township_id=h.township_id, village_id=h.village_id, **kw)


def test_ledger_records_past_their_due_date(users):
    caseworker = users["zhandian_jingban"]
    assert value(caseworker, "ledger_overdue", "410823101") == 0
    late = record(users, due=dt.date(2026, 11, 20))
    record(users, due=dt.date(2026, 12, 10))  # still within its limit on 30 November
    record(users, due=dt.date(2026, 11, 20), village=WENXIAN_VILLAGE)  # out of scope
    assert value(caseworker, "ledger_overdue", "410823101") == 1
    assert listed(caseworker, "ledger_overdue", "410823101") == [late]
    LedgerRecord.objects.filter(pk=late.pk).update(status="closed", outcome="not_eligible",
                                                   closed_at=tz(dt.date(2026, 11, 25)))
    assert value(caseworker, "ledger_overdue", "410823101") == 0


def test_intake_refusals_are_watched_without_a_light(users):
    officer = users["wuzhi_minzheng"]
    assert registry.get(officer, "intake_refusals").target is None
    assert value(officer, "intake_refusals") == 0
    h = PersonFactory(household__village=HEYING).household
    refused = Application.objects.create(
        kind="dibao", household=h, handling_township_id=h.township_id, handling_county_id=h.county_id,
        reason="申请", status=Application.Status.NOT_ACCEPTED, accepted_on=dt.date(2026, 11, 12),
        deadline=dt.date(2026, 12, 17), decided_on=dt.date(2026, 11, 12),
        registered_by=users["zhandian_jingban"], county_id=h.county_id, township_id=h.township_id,
        village_id=h.village_id)
    assert value(officer, "intake_refusals") == 1
    assert listed(officer, "intake_refusals") == [refused]
    assert value(officer, "intake_refusals", month=dt.date(2026, 10, 1)) == 0
    assert value(users["wenxian_minzheng"], "intake_refusals", region="410825") == 0


def test_status_change_not_decided_past_its_due_date(users):
    officer = users["wuzhi_minzheng"]
    head, ent = entitled()
    h = head.household
    common = dict(entitlement=ent, household=h, county_id=h.county_id, township_id=h.township_id,
                  village_id=h.village_id, created_at=tz(dt.date(2026, 11, 2)))
    Recheck.objects.create(month=dt.date(2026, 10, 1), due_on=dt.date(2026, 11, 5), **common)  # periodic only
    assert value(officer, "changes_undecided") == 0
    change = Recheck.objects.create(month=dt.date(2026, 11, 1), due_on=dt.date(2026, 11, 16),
                                    trigger="2026-11-02 家庭成员在监服刑", **common)
    assert value(officer, "changes_undecided") == 1
    assert listed(officer, "changes_undecided") == [change]
    assert value(users["wenxian_minzheng"], "changes_undecided", region="410825") == 0
    Recheck.objects.filter(pk=change.pk).update(outcome="exit", done_at=tz(dt.date(2026, 11, 20)))
    assert value(officer, "changes_undecided") == 0


def test_referrals_open_past_their_due_date(users):
    officer = users["wuzhi_minzheng"]
    fund = CharityFund.objects.create(county_id="410823", name="武陟县慈善专项基金", organisation="武陟县慈善总会",
                                      balance=Decimal("10000.00"))
    h = PersonFactory(household__village=HEYING).household
    ref = Referral.objects.create(household=h, source="other", target="fund", fund=fund, need="医疗费用",
                                  amount_asked=Decimal("2000.00"), due_on=dt.date(2026, 11, 20),
                                  created_by=users["zhandian_jingban"], created_at=tz(dt.date(2026, 11, 3)),
                                  county_id=h.county_id, township_id=h.township_id, village_id=h.village_id)
    assert value(officer, "referrals_late") == 1
    assert listed(officer, "referrals_late") == [ref]
    assert value(users["wenxian_minzheng"], "referrals_late", region="410825") == 0
    Referral.objects.filter(pk=ref.pk).update(due_on=dt.date(2026, 12, 10))
    assert value(officer, "referrals_late") == 0
