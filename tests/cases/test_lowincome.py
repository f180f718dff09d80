"""§1/§2 低保边缘, 刚性支出困难, 防返贫监测 through the one application machine, several categories per household,
and 单人户 from a 低保边缘 household. Rule names in the test names."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from cases.dibao import deadlines as dibao_deadlines
from cases.dibao import means_test, workflow
from cases.lowincome import eligibility
from cases.models import Application, Entitlement, IncomeItem, PropertyItem, RigidExpense
from core import months, workdays
from tests.cases.dibao_helpers import poor_household, seed_standards, to_awaiting_decision
from tests.factories import PersonFactory, make_id

pytestmark = pytest.mark.django_db

STD = Decimal("520.00")


def rules(**kw):
    return means_test.Rules(standard=STD, **kw)


def members(n):
    return [means_test.Member(id=i, name=f"成员{i}") for i in range(1, n + 1)]


def wages(amount):
    return [means_test.Income(kind="wages", amount_12m=Decimal(amount), person_id=1)]


# --- pure rules -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("annual_wages, eligible, reason", [
    ("6000", False, "符合低保条件"),         # 116.67/month: 低保, not 边缘
    ("30000", True, None),                  # (30000 − 6240) / 36 = 660 in [520, 780)
    ("40000", False, "低保边缘收入上限"),     # 937.78 ≥ 1.5 × 520
])
def test_rule_edge_income_between_standard_and_multiple(annual_wages, eligible, reason):
    data = means_test.AssessmentInput(rules=rules(), members=members(3), incomes=wages(annual_wages))
    result = eligibility.assess_edge(data, Decimal("1.5"))
    assert result.eligible is eligible
    assert result.monthly_amount == 0
    if reason:
        assert any(reason in r for r in result.reasons)
    else:
        assert result.persons_covered == 3
    assert any(line["label"] == "低保边缘收入上限" and line["amount"] == "780.00" for line in result.lines)


def test_rule_edge_property_limits_apply():
    data = means_test.AssessmentInput(rules=rules(), members=members(3), incomes=wages("30000"),
                                      properties=[means_test.Property(kind="vehicle", value=Decimal("80000"))])
    result = eligibility.assess_edge(data, Decimal("1.5"))
    assert not result.eligible and any("机动车辆" in r for r in result.reasons)


def test_rule_rigid_expense_share_and_income_threshold():
    """刚性支出困难: not 低保 (even after deducting the expense) nor 边缘; income below 3 × standard; medical and
    education over 50 % of household income."""
    base = dict(rules=rules(), members=members(3), incomes=wages("55000"))
    ok = eligibility.assess_rigid(means_test.AssessmentInput(
        **base, expenses=[means_test.Expense(kind="medical", amount_12m=Decimal("28000"))]),
        edge_ratio=Decimal("1.5"), income_ratio=Decimal("3"), share=Decimal("0.5"))
    assert ok.eligible, ok.reasons
    low = eligibility.assess_rigid(means_test.AssessmentInput(
        **base, expenses=[means_test.Expense(kind="medical", amount_12m=Decimal("20000"))]),
        edge_ratio=Decimal("1.5"), income_ratio=Decimal("3"), share=Decimal("0.5"))
    assert not low.eligible and any("未超过50%" in r for r in low.reasons)
    rich = eligibility.assess_rigid(means_test.AssessmentInput(
        rules=rules(), members=members(1), incomes=wages("55000"),
        expenses=[means_test.Expense(kind="medical", amount_12m=Decimal("40000"))]),
        edge_ratio=Decimal("1.5"), income_ratio=Decimal("3"), share=Decimal("0.5"))
    assert not rich.eligible and any("不低于上限" in r for r in rich.reasons)


# --- the procedure ----------------------------------------------------------------------------------------------

def edge_household(**kw):
    return poor_household(annual_wages=Decimal("30000.00"), **kw)


def confirm(users, app, monkeypatch):
    cw, leader = users["zhandian_jingban"], users["zhandian_shenpi"]
    to_awaiting_decision(cw, app, monkeypatch)
    workflow.transition(actor=leader, application=app, action="confirm")
    app.refresh_from_db()
    return app


@pytest.fixture
def std(users):
    seed_standards()


def test_edge_enrolment_uses_the_dibao_procedure_with_its_own_time_limit(users, std, monkeypatch):
    hh = edge_household()
    app = workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="收入略高于低保标准",
                                      kind="dibao_edge")
    assert app.deadline == workdays.add_workdays(app.accepted_on, 20)  # lowincome.process_workdays
    assert app.deadline == dibao_deadlines.compute_deadline(app.accepted_on, kind="dibao_edge")
    app = confirm(users, app, monkeypatch)
    ent = app.entitlement
    assert ent.category == "dibao_edge" and ent.monthly_amount == 0 and ent.persons_covered == 3
    assert ent.next_recheck == months.add_months(ent.start_month, 12)  # lowincome.recheck_months_edge
    assert app.assessment["registry_only"] and any(line["label"] == "月人均收入" for line in app.assessment["lines"])
    with pytest.raises(ValidationError, match="已是低保边缘"):
        workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="再次", kind="dibao_edge")


def test_edge_refused_by_the_test_cannot_be_approved(users, std):
    hh = poor_household()  # 低保-eligible
    app = workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="x", kind="dibao_edge")
    from tests.cases.dibao_helpers import investigate
    investigate(users["zhandian_jingban"], app)
    app.refresh_from_db()
    assert app.assessed_eligible is False
    assert "应按低保申请办理" in "".join(app.assessment["reasons"])


def test_monitor_needs_type_and_source_and_becomes_that_category(users, std, monkeypatch):
    hh = poor_household(annual_wages=Decimal("60000.00"))
    cw = users["zhandian_jingban"]
    with pytest.raises(ValidationError, match="监测类型"):
        workflow.application_accept(actor=cw, household=hh, reason="突发重病", kind="monitor")
    with pytest.raises(ValidationError, match="来源"):
        workflow.application_accept(actor=cw, household=hh, reason="突发重病", kind="monitor",
                                    subcategory="monitor_sudden")
    app = workflow.application_accept(actor=cw, household=hh, reason="户主突发重病", kind="monitor",
                                      subcategory="monitor_sudden", source="rural_revitalization",
                                      source_note="县乡村振兴局2026年11月监测名单")
    app = confirm(users, app, monkeypatch)
    assert app.entitlement.category == "monitor_sudden"
    assert app.entitlement.next_recheck == months.add_months(app.entitlement.start_month, 6)


def test_household_holds_several_categories_shown_with_history(users, std, monkeypatch, client):
    hh = poor_household(annual_wages=Decimal("30000.00"))
    edge = confirm(users, workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="边缘",
                                                      kind="dibao_edge"), monkeypatch)
    monkeypatch.undo()
    seed_standards()
    confirm(users, workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="监测",
                                               kind="monitor", subcategory="monitor_edge", source="referral",
                                               source_note="乡村振兴局转介"), monkeypatch)
    Entitlement.objects.create(household=hh, category="rigid_expense", persons_covered=3, monthly_amount=0,
                               start_month=dt.date(2024, 1, 1), end_month=dt.date(2024, 12, 1), status="ended",
                               county_id=hh.county_id, township_id=hh.township_id, village_id=hh.village_id)
    assert set(hh.entitlements.open().values_list("category", flat=True)) == {"dibao_edge", "monitor_edge"}
    client.force_login(users["zhandian_jingban"])
    for url in (f"/households/{hh.pk}/", "/households/", f"/applications/{edge.pk}/"):
        body = client.get(url).content.decode()
        assert "低保边缘" in body and "防返贫监测（边缘易致贫）" in body and "刚性支出困难（已退出）" in body, url


def test_api_applications_accepts_the_new_kinds(users, std):
    api = APIClient()
    api.force_authenticate(users["zhandian_jingban"])
    hh = edge_household()
    r = api.post("/api/v1/applications/", {"household": hh.pk, "reason": "边缘", "kind": "dibao_edge"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["kind"] == "dibao_edge" and r.json()["number"].startswith("BY")
    r = api.post("/api/v1/applications/", {"household": hh.pk, "reason": "监测", "kind": "monitor"}, format="json")
    assert r.status_code == 400 and "监测类型" in r.content.decode()
    hh2 = poor_household(annual_wages=Decimal("55000.00"))
    r = api.post("/api/v1/applications/", {"household": hh2.pk, "reason": "医疗支出大", "kind": "rigid_expense"},
                 format="json")
    assert r.status_code == 201 and r.json()["kind"] == "rigid_expense"
    listed = api.get("/api/v1/applications/?kind=dibao_edge").json()["results"]
    assert [row["kind"] for row in listed] == ["dibao_edge"]


def test_entitlements_api_filters_by_category(users, std, monkeypatch):
    hh = edge_household()
    confirm(users, workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="边缘",
                                               kind="dibao_edge"), monkeypatch)
    api = APIClient()
    api.force_authenticate(users["zhandian_jingban"])
    rows = api.get("/api/v1/entitlements/?category=dibao_edge").json()["results"]
    assert [r["household"] for r in rows] == [hh.pk]
    assert api.get("/api/v1/entitlements/?category=rigid_expense").json()["results"] == []


# --- 单人户 ------------------------------------------------------------------------------------------------------

def test_single_person_from_edge_household_admitted_alone(users, std, monkeypatch):
    """§2 单人户: a member with grade-1 disability in a 低保边缘 household gets 低保 as a one-person household;
    the rest stays 边缘 (one person fewer)."""
    hh = poor_household(annual_wages=Decimal("40000.00"))  # 4 persons: (40000 − 6240) / 48 = 703.33
    disabled = PersonFactory(household=hh, relationship="child", disability_grade=1, disability_type="physical",
                             id_number=make_id(hh.county_id, dt.date(1998, 5, 5)))
    cw = users["zhandian_jingban"]
    edge = confirm(users, workflow.application_accept(actor=cw, household=hh, reason="边缘", kind="dibao_edge"),
                   monkeypatch).entitlement
    assert edge.persons_covered == 4
    monkeypatch.undo()
    seed_standards()
    app = workflow.application_accept(actor=cw, household=hh, reason="重度残疾，单人户", kind="dibao",
                                      single_person=disabled)
    app = confirm(users, app, monkeypatch)
    ent = app.entitlement
    assert ent.category == "dibao" and ent.persons_covered == 1
    assert ent.monthly_amount == STD  # no own income: (520 − 0) × 1
    assert ent.reason.startswith("单人户：")
    edge.refresh_from_db()
    assert edge.status == "active" and edge.persons_covered == 3


def test_single_person_refused_outside_edge_or_without_qualifying_condition(users, std):
    hh = edge_household()
    healthy = PersonFactory(household=hh, relationship="child", id_number=make_id(hh.county_id, dt.date(1999, 1, 1)))
    app = workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="单人户",
                                      single_person=healthy)
    from tests.cases.dibao_helpers import investigate
    investigate(users["zhandian_jingban"], app)
    app.refresh_from_db()
    assert not app.assessed_eligible and any("单人户" in r for r in app.assessment["reasons"])


__all__ = ["Application", "IncomeItem", "PropertyItem", "RigidExpense"]


def test_recheck_cycle_rule_per_category(users, std):
    """Re-check cycles per category: 低保边缘 yearly, 防返贫监测 every 6 months (params); the monthly list
    includes every category; a 边缘 re-check continues or exits, never adjusts an amount."""
    from cases.dibao import rechecks
    from cases.models import Recheck
    from core.months import add_months

    hh = edge_household()
    today = dt.date.today()
    ent = Entitlement.objects.create(household=hh, category="dibao_edge", persons_covered=3, monthly_amount=0,
                                     start_month=dt.date(2025, 1, 1), next_recheck=today, county_id=hh.county_id,
                                     township_id=hh.township_id, village_id=hh.village_id)
    mon = Entitlement.objects.create(household=hh, category="monitor_unstable", persons_covered=3, monthly_amount=0,
                                     start_month=dt.date(2025, 1, 1), next_recheck=today, county_id=hh.county_id,
                                     township_id=hh.township_id, village_id=hh.village_id)
    assert rechecks.recheck_list_month(month=today) == 2
    cw = users["zhandian_jingban"]
    row = Recheck.objects.get(entitlement=ent)
    with pytest.raises(ValidationError, match="其他类别"):
        rechecks.recheck_complete(actor=cw, recheck=row, outcome="adjust", note="复核", new_amount=Decimal("100"))
    rechecks.recheck_complete(actor=cw, recheck=row, outcome="continue", note="收入无变化")
    rechecks.recheck_complete(actor=cw, recheck=Recheck.objects.get(entitlement=mon), outcome="continue", note="稳定")
    ent.refresh_from_db()
    mon.refresh_from_db()
    assert ent.next_recheck == add_months(today, 12) and mon.next_recheck == add_months(today, 6)
