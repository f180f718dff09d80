"""§2 means test (cases.means_test.assess): amounts, deductions, members counted, property limits, 单人户."""
from decimal import Decimal as D

import pytest

from cases.dibao.means_test import (
    AssessmentInput,
    Expense,
    Income,
    Member,
    Property,
    Rules,
    assess,
    single_person_qualifies,
)

STD = D("520.00")


def members(n, **first):
    return [Member(id=1, name="甲", **first)] + [Member(id=i, name=f"成员{i}") for i in range(2, n + 1)]


# (case, members, incomes, expenses, rules overrides, eligible, per-capita, amount)
AMOUNTS = [
    ("no income: full standard × 3", 3, [], [], {}, True, "0.00", "1560.00"),
    ("transfer income counted fully", 2, [Income("transfer", D("2400"))], [], {}, True, "100.00", "840.00"),
    ("wages less 30 % employment cost", 2, [Income("wages", D("6000"), person_id=1)], [], {},
     True, "175.00", "690.00"),  # (6000 − 1800)/12/2 = 175
    ("documented employment cost used instead of the rate", 1,
     [Income("wages", D("6000"), person_id=1, employment_cost=D("600"))], [], {}, True, "450.00", "70.00"),
    ("employment cost capped at 1 × standard × 12", 1, [Income("wages", D("30000"), person_id=1)], [], {},
     False, "1980.00", "0.00"),  # 30000 − cap 6240 = 23760 / 12
    ("exempt income recorded, not counted", 1, [Income("transfer", D("9000"), exempt=True)], [], {},
     True, "0.00", "520.00"),
    ("rigid medical expense deducted", 2, [Income("business", D("12000"))], [Expense("medical", D("6000"))], {},
     True, "100.00", "840.00"),  # 12000 − 3600 − 6000 = 2400 /12/2
    ("rigid expense not deducted when the param is off", 2, [Income("transfer", D("6000"))],
     [Expense("medical", D("6000"))], {"rigid_expense_deductible": False}, True, "250.00", "540.00"),
    ("deductions never make income negative", 1, [Income("transfer", D("100"))], [Expense("medical", D("9000"))], {},
     True, "0.00", "520.00"),
    ("floor: small gap raised to the floor", 1, [Income("transfer", D("6120"))], [], {}, True, "510.00", "30.00"),
    ("custom floor param", 1, [Income("transfer", D("6120"))], [], {"amount_floor": D("50")}, True, "510.00",
     "50.00"),
    ("income equal to standard is not eligible", 1, [Income("transfer", D("6240"))], [], {}, False, "520.00",
     "0.00"),
    ("ROUND_HALF_UP to the cent", 3, [Income("transfer", D("1000"))], [], {}, True, "27.78", "1476.66"),
]


@pytest.mark.parametrize("case,n,incomes,expenses,overrides,eligible,per_capita,amount", AMOUNTS,
                         ids=[a[0] for a in AMOUNTS])
def test_amounts_and_deductions_table(case, n, incomes, expenses, overrides, eligible, per_capita, amount):
    """§2 Amount = (standard − per-capita income) × members counted, at least the floor; Decimal, half-up."""
    result = assess(AssessmentInput(rules=Rules(standard=STD, **overrides), members=members(n), incomes=incomes,
                                    expenses=expenses))
    assert result.eligible is eligible, result.reasons
    assert result.per_capita_monthly == D(per_capita)
    assert result.monthly_amount == D(amount)
    assert isinstance(result.monthly_amount, D)


@pytest.mark.parametrize("status", ["prison", "missing", "religious"])
def test_members_in_prison_missing_or_religious_not_counted(status):
    """§2 household rules: members serving a sentence, missing or long-term religious are not counted."""
    ms = [Member(id=1, name="甲"), Member(id=2, name="乙", special_status=status), Member(id=3, name="丙")]
    incomes = [Income("transfer", D("2400")), Income("wages", D("50000"), person_id=2)]
    result = assess(AssessmentInput(rules=Rules(standard=STD), members=ms, incomes=incomes))
    assert result.members_counted == 2 and result.persons_covered == 2
    assert result.per_capita_monthly == D("100.00")  # the excluded member's wages are not counted
    assert result.monthly_amount == D("840.00")
    assert any(not line.counted and "不计入家庭人口" in line.note for line in result.lines)


def test_deceased_member_not_counted():
    ms = [Member(id=1, name="甲"), Member(id=2, name="乙", deceased=True)]
    assert assess(AssessmentInput(rules=Rules(standard=STD), members=ms)).members_counted == 1


PROPERTY = [
    ("deposit within 24 × standard × persons", [Property("deposit", D("24960"))], 2, True),
    ("deposit above the limit", [Property("deposit", D("24960.01"))], 2, False),
    ("securities and insurance count with deposits", [Property("deposit", D("10000")),
                                                      Property("securities", D("2481"))], 1, False),
    ("cheap vehicle allowed", [Property("vehicle", D("20000"))], 1, True),
    ("vehicle above the limit", [Property("vehicle", D("30000.01"))], 1, False),
    ("one house allowed", [Property("house", D("200000"))], 1, True),
    ("two houses not allowed", [Property("house", D("300000"), quantity=2)], 1, False),
    ("business entity not allowed", [Property("business", D("1"))], 1, False),
]


@pytest.mark.parametrize("case,properties,n,eligible", PROPERTY, ids=[p[0] for p in PROPERTY])
def test_property_limits_table(case, properties, n, eligible):
    """§2 property within limits: deposits ≤ 24 months of standard per person, vehicles, houses, business."""
    result = assess(AssessmentInput(rules=Rules(standard=STD), members=members(n), properties=properties))
    assert result.eligible is eligible, result.reasons
    if not eligible:
        assert result.reasons and result.monthly_amount == D("0.00")


QUALIFIES = [
    (1, "physical", "", True), (2, "visual", "", True), (3, "physical", "", False), (3, "intellectual", "", True),
    (3, "mental", "", True), (4, "mental", "", False), (None, "", "尿毒症", True), (None, "", "", False),
]


@pytest.mark.parametrize("grade,kind,illness,ok", QUALIFIES)
def test_single_person_household_qualifying_members(grade, kind, illness, ok):
    """§2 单人户: disability grade 1–2, or 3 for intellectual/mental, or a recognised serious illness."""
    m = Member(id=1, name="甲", disability_grade=grade, disability_type=kind, serious_illness=illness)
    assert single_person_qualifies(m) is ok


def test_single_person_admitted_alone_in_edge_household():
    """§2 单人户: in a 低保边缘 household the severely disabled member is admitted alone on their own income."""
    ms = [Member(id=1, name="户主"), Member(id=2, name="重残", disability_grade=1, disability_type="physical"),
          Member(id=3, name="配偶")]
    incomes = [Income("wages", D("30000"), person_id=1), Income("transfer", D("1200"), person_id=2)]
    base = dict(rules=Rules(standard=STD), members=ms, incomes=incomes)
    whole = assess(AssessmentInput(**base))
    assert not whole.eligible  # the household as a whole is above the standard
    alone = assess(AssessmentInput(**base, is_edge=True, single_person_id=2))
    assert alone.eligible and alone.persons_covered == 1 and alone.single_person_id == 2
    assert alone.per_capita_monthly == D("100.00")
    assert alone.monthly_amount == D("420.00")


def test_single_person_refused_outside_edge_household_or_without_condition():
    ms = [Member(id=1, name="户主"), Member(id=2, name="轻残", disability_grade=3, disability_type="physical")]
    not_edge = assess(AssessmentInput(rules=Rules(standard=STD), members=ms, single_person_id=2))
    assert not not_edge.eligible and "低保边缘" in not_edge.reasons[0]
    weak = assess(AssessmentInput(rules=Rules(standard=STD), members=ms, is_edge=True, single_person_id=2))
    assert not weak.eligible and "不属于" in weak.reasons[0]


def test_assessment_shows_arithmetic_and_is_json():
    """§2 the assessment shows its arithmetic line by line (stored as JSON on the application)."""
    result = assess(AssessmentInput(rules=Rules(standard=STD), members=members(2),
                                    incomes=[Income("wages", D("6000"), person_id=1)]))
    data = result.to_json()
    labels = [line["label"] for line in data["lines"]]
    assert "月人均收入" in labels and "月救助金额" in labels and any("就业成本" in label for label in labels)
    assert data["monthly_amount"] == "690.00"
    amount_line = next(line for line in data["lines"] if line["label"] == "月救助金额")
    assert amount_line["note"] == "(520.00 − 175.00) × 2 = 690.00"
    cost_line = next(line for line in data["lines"] if "就业成本" in line["label"])
    assert cost_line["note"] == "按收入的30%"


def test_unstable_income_flag_for_working_age_flexible_worker():
    """§2 re-check every 6 months for households with working-age members and unstable income."""
    ms = [Member(id=1, name="甲", age=35, employment="flexible"), Member(id=2, name="乙", age=70, work_capacity="none")]
    assert assess(AssessmentInput(rules=Rules(standard=STD), members=ms)).unstable_income
    ms = [Member(id=1, name="甲", age=35, employment="employed")]
    assert not assess(AssessmentInput(rules=Rules(standard=STD), members=ms)).unstable_income
