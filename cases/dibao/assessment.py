"""The means test's input built from the registry (standard and parameters in force on the day)."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.dibao import means_test
from cases.dibao.models import Application
from cases.entitlements.models import Entitlement
from cases.households.models import Household
from cases.standards.selectors import dibao_standard
from core import params


def assessment_input(household: Household, on: dt.date, *, single_person_id=None, standard=None):
    members = [
        means_test.Member(
            id=p.pk, name=p.name, special_status=p.special_status,
            deceased=p.deceased_on is not None and p.deceased_on <= on,
            disability_grade=p.disability_grade, disability_type=p.disability_type,
            serious_illness=p.serious_illness, age=p.age_on(on), work_capacity=p.work_capacity,
            employment=p.employment)
        for p in household.members.order_by("id")
    ]
    incomes = [means_test.Income(kind=i.kind, amount_12m=i.amount_12m, person_id=i.person_id,
                                 employment_cost=i.employment_cost, exempt=i.exempt, description=i.description)
               for i in household.incomes.order_by("id")]
    properties = [means_test.Property(kind=p.kind, value=p.value, quantity=p.quantity, description=p.description)
                  for p in household.properties.order_by("id")]
    expenses = [means_test.Expense(kind=e.kind, amount_12m=e.amount_12m, person_id=e.person_id)
                for e in household.expenses.order_by("id")]
    rules = means_test.Rules(
        standard=standard if standard is not None else dibao_standard(household.county_id, household.hukou_type, on),
        employment_cost_rate=params.get("dibao.employment_cost_rate", on),
        employment_cost_cap_standards=params.get("dibao.employment_cost_cap_standards", on),
        rigid_expense_deductible=params.get("dibao.rigid_expense_deductible", on),
        amount_floor=params.get("dibao.amount_floor", on),
        deposit_limit_months=params.get("dibao.deposit_limit_months", on),
        vehicle_value_limit=params.get("dibao.vehicle_value_limit", on),
        house_limit=params.get("dibao.house_limit", on),
    )
    is_edge = household.entitlements.in_force().filter(category=Entitlement.Category.DIBAO_EDGE).exists()
    return means_test.AssessmentInput(rules=rules, members=members, incomes=incomes, properties=properties,
                                      expenses=expenses, is_edge=is_edge, single_person_id=single_person_id)


def application_assess(application: Application, on: dt.date | None = None) -> means_test.Assessment:
    on = on or timezone.localdate()
    return means_test.assess(assessment_input(application.household, on,
                                              single_person_id=application.single_person_id))
