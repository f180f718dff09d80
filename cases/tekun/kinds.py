"""特困 applications in the one state machine: assessment, entitlement category, start of support."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.dibao import kinds
from cases.dibao.models import Application
from cases.households.models import Person
from cases.standards import selectors as standards
from cases.tekun.eligibility import eligibility
from cases.tekun.models import (
    SelfCareLevel,
    TekunProfile,
)
from core import params


@dataclass
class TekunAssessment:
    eligible: bool
    persons_covered: int
    monthly_amount: Decimal
    reasons: list[str]
    lines: list[dict]
    unstable_income: bool = False

    def to_json(self) -> dict:
        return {"eligible": self.eligible, "persons_covered": self.persons_covered,
                "monthly_amount": str(self.monthly_amount), "reasons": self.reasons, "lines": self.lines,
                "unstable_income": False, "kind": "tekun"}


def applicant_of(application) -> Person:
    person = application.applicant or application.single_person
    if person is None:
        person = application.household.members.filter(relationship="head").first()
    if person is None:
        raise ValidationError("请指定特困供养申请人")
    return person


def assess_application(application, on: dt.date | None = None) -> TekunAssessment:
    """§3: the three conditions, then basic living (1.3 × 低保标准) + care standard for level and form."""
    on = on or timezone.localdate()
    person = applicant_of(application)
    result = eligibility(person, on)
    profile = TekunProfile.objects.filter(person=person).first()
    form = profile.form if profile else TekunProfile.Form.DISPERSED
    level = (profile.self_care_level if profile else "") or "self_care"
    h = person.household
    basic = standards.tekun_basic_living(h.county_id, h.hukou_type, on)
    care = standards.care_standard(h.county_id, level, form, on)
    lines = [
        {"label": "无劳动能力", "amount": "", "note": TekunProfile.Incapacity(result.incapacity).label
         if result.incapacity else "不符合", "counted": True},
        {"label": "本人月收入", "amount": str(result.monthly_income), "note": f"低保标准{result.standard}元",
         "counted": True},
        {"label": "基本生活标准", "amount": str(basic), "note": f"低保标准 × {params.get('tekun.basic_living_ratio', on)}",
         "counted": True},
        {"label": "照料护理标准", "amount": str(care),
         "note": f"{dict(SelfCareLevel.choices)[level]}，{dict(TekunProfile.Form.choices)[form]}", "counted": True},
        {"label": "月供养金额", "amount": str(basic + care), "note": "", "counted": True},
    ]
    if profile is None or not profile.last_assessed_on:
        result.reasons.append("尚未完成生活自理能力评估（请在特困供养档案中评估）")
    return TekunAssessment(eligible=not result.reasons, persons_covered=1, monthly_amount=basic + care,
                           reasons=result.reasons, lines=lines)


def category_for(application) -> str:
    profile = TekunProfile.objects.filter(person=applicant_of(application)).first()
    central = profile is not None and profile.form == TekunProfile.Form.CENTRAL
    return "tekun_central" if central else "tekun_dispersed"


def on_confirmed(application, entitlement) -> None:
    """Confirmation starts support: the person's profile is 在供养."""
    TekunProfile.objects.filter(person=applicant_of(application)).update(status=TekunProfile.Status.SUPPORTED)


def register() -> None:
    """特困 reuses the machine: its own assessment, entitlement category and start of support."""
    kinds.register(Application.Kind.TEKUN, assess=assess_application, category_for=category_for,
                   on_confirmed=on_confirmed)
