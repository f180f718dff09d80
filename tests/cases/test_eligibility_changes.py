"""§12 changes that end eligibility: a member's special status or new income/property re-runs the means test and
opens a re-check with a due date; nothing exits without a caseworker's decision."""
import datetime as dt
from decimal import Decimal

import pytest

from cases.dibao import means_test, rechecks
from cases.households import services as household_services
from cases.models import Entitlement, Recheck
from core import workdays
from tests.cases.dibao_helpers import poor_household, seed_standards

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(users):
    seed_standards()
    hh = poor_household()
    ent = Entitlement.objects.create(household=hh, category="dibao", persons_covered=3,
                                     monthly_amount=Decimal("1209.99"), start_month=dt.date(2026, 1, 1),
                                     next_recheck=dt.date(2027, 6, 1), county_id=hh.county_id,
                                     township_id=hh.township_id, village_id=hh.village_id)
    return hh, ent


@pytest.mark.parametrize("status, label", [("military", "参军服役"), ("prison", "服刑"),
                                           ("moved_out", "婚嫁、分户迁出"), ("died", "已死亡")])
def test_special_status_rule_member_not_counted(status, label):
    members = [means_test.Member(id=1, name="甲"), means_test.Member(id=2, name="乙", special_status=status)]
    result = means_test.assess(means_test.AssessmentInput(rules=means_test.Rules(standard=Decimal("520")),
                                                          members=members))
    assert result.members_counted == 1 and any(label in line.note for line in result.lines)


def test_special_status_change_reruns_means_test_and_opens_recheck_with_due_date(users, enrolled):
    hh, ent = enrolled
    cw = users["zhandian_jingban"]
    child = hh.members.exclude(relationship="head").first()
    household_services.person_update(actor=cw, person=child, reason="入伍通知书", special_status="military")
    row = Recheck.objects.get(entitlement=ent, outcome="")
    today = dt.date.today()
    assert row.due_on == workdays.add_workdays(today, 10)
    assert "参军服役" in row.trigger and row.assessment["members_counted"] == 2
    ent.refresh_from_db()
    assert ent.status == "active"  # no exit without the caseworker
    rechecks.recheck_complete(actor=cw, recheck=row, outcome="adjust", note="一人参军，按2人重新核定")
    ent.refresh_from_db()
    assert ent.monthly_amount == Decimal(row.assessment["monthly_amount"])


def test_new_income_or_property_opens_one_recheck(users, enrolled):
    hh, ent = enrolled
    cw = users["zhandian_jingban"]
    household_services.item_add(actor=cw, household=hh, item_type="income", kind="wages",
                                amount_12m=Decimal("60000.00"), person=hh.members.first())
    household_services.item_add(actor=cw, household=hh, item_type="property", kind="vehicle",
                                value=Decimal("90000.00"), quantity=1)
    row = Recheck.objects.get(entitlement=ent, outcome="")  # brought forward, not duplicated
    assert "机动车" in row.trigger or "车辆" in row.trigger
    assert row.assessment["eligible"] is False
    # an expense (not an eligibility-ending change) opens nothing new; a household without support opens nothing
    other = poor_household()
    household_services.item_add(actor=cw, household=other, item_type="income", kind="wages",
                                amount_12m=Decimal("1000.00"))
    assert not Recheck.objects.filter(household=other).exists()
