"""Who is 特困 (no work capacity, no income, no obligor able to support) and how much support they get."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from cases.households.models import Person
from cases.standards import selectors as standards
from cases.tekun.models import (
    TekunProfile,
)
from core import params


def incapacity_of(person: Person, on: dt.date) -> str:
    """§3 no work capacity: age >= 60 or < 18, or disability grade 1-3 intellectual/mental, 1-2 physical,
    1 visual (multiple disabilities: grade 1-2)."""
    age = person.age_on(on)
    if age >= 60:
        return TekunProfile.Incapacity.AGE_60
    if age < 18:
        return TekunProfile.Incapacity.UNDER_18
    grade, kind = person.disability_grade, person.disability_type
    if grade:
        limits = {"intellectual": 3, "mental": 3, "physical": 2, "visual": 1, "multiple": 2}
        if grade <= limits.get(kind, 0):
            return TekunProfile.Incapacity.DISABILITY
    return TekunProfile.Incapacity.NONE


@dataclass
class Eligibility:
    incapacity: str
    monthly_income: Decimal
    standard: Decimal
    no_income_source: bool
    property_ok: bool
    no_able_obligor: bool
    reasons: list[str]

    @property
    def eligible(self) -> bool:
        return not self.reasons


def eligibility(person: Person, on: dt.date | None = None) -> Eligibility:
    on = on or timezone.localdate()
    household = person.household
    standard = standards.dibao_standard(household.county_id, household.hukou_type, on)
    counted = [i for i in household.incomes.all() if not i.exempt and (i.person_id in (None, person.pk))]
    own = [i for i in counted if i.person_id == person.pk] or [i for i in counted if i.person_id is None]
    yearly = sum((i.amount_12m - i.employment_cost for i in own), Decimal("0"))
    monthly = (yearly / 12).quantize(Decimal("0.01"))
    limit = standard * params.get("dibao.deposit_limit_months", on)
    deposits = sum((p.value for p in household.properties.all() if p.kind in ("deposit", "securities")), Decimal("0"))
    property_ok = deposits <= limit and not any(p.kind in ("vehicle", "business") for p in household.properties.all())
    profile = getattr(person, "tekun", None)
    no_able_obligor = True
    if profile is not None and profile.pk:
        no_able_obligor = not profile.obligors.filter(able_to_support=True).exists()
    reasons = []
    incap = incapacity_of(person, on)
    if not incap:
        reasons.append("不属于无劳动能力情形（年满60周岁、未满18周岁或符合条件的重度残疾）")
    if monthly >= standard:
        reasons.append(f"本人月收入{monthly}元不低于低保标准{standard}元")
    if not property_ok:
        reasons.append(f"财产超过规定（存款等{deposits}元，上限{limit}元；或有机动车辆、经营实体）")
    if not no_able_obligor:
        reasons.append("有具备履行能力的法定义务人")
    return Eligibility(incap, monthly, standard, monthly < standard, property_ok, no_able_obligor, reasons)


def support_amount(profile: TekunProfile, on: dt.date) -> tuple[Decimal, Decimal]:
    """(basic living = 1.3 × 低保标准, care standard for the level and form)."""
    h = profile.household
    basic = standards.tekun_basic_living(h.county_id, h.hukou_type, on)
    care = standards.care_standard(h.county_id, profile.self_care_level or "self_care", profile.form, on)
    return basic, care


def encourage_institution(profile: TekunProfile, on: dt.date) -> bool:
    """§3: elderly and disabled dispersed persons who are semi/totally dependent, or who cannot express
    their wishes, are encouraged (or, after assessment, placed) toward centralised care."""
    if profile.form != TekunProfile.Form.DISPERSED or profile.status == TekunProfile.Status.ENDED:
        return False
    elderly_or_disabled = profile.person.age_on(on) >= 60 or bool(profile.person.disability_grade)
    dependent = profile.self_care_level in ("semi", "total")
    return (elderly_or_disabled and dependent) or not profile.can_express_wishes
