"""特困人员救助供养 services and rules (§3). Decisions on applications reuse the application workflow;
this module keeps the person-level support: eligibility, self-care, institution or home care, agreements,
visits."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Role
from accounts.scope import Action, can, reaches, scope_q
from cases import standards
from cases.models import (
    SIX_ACTIVITIES,
    CareAgreement,
    CareVisit,
    Institution,
    Obligor,
    Person,
    SelfCareAssessment,
    SelfCareLevel,
    TekunProfile,
    self_care_level,
)
from core import audit, params


# --- rules ---------------------------------------------------------------------------------------------

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


# --- services --------------------------------------------------------------------------------------------

def _check(actor, action: str, obj) -> None:
    if not can(actor, action):
        raise ValidationError("您的角色无权进行此操作")
    if not reaches(actor, action, obj):  # region or an explicit, audited grant — the same rule as restrict()
        raise ValidationError("该记录不在您的管辖范围内")


def _region(obj):
    return (obj.county_id, obj.township_id, obj.village_id)


def profile_open(*, actor, person: Person, form: str = TekunProfile.Form.DISPERSED,
                 can_express_wishes: bool = True, income_note: str = "") -> TekunProfile:
    _check(actor, Action.CASE_CHANGE, person)
    if TekunProfile.objects.filter(person=person).exists():
        raise ValidationError("该人员已建立特困供养档案")
    profile = TekunProfile(person=person, household=person.household, form=form,
                           can_express_wishes=can_express_wishes, income_note=income_note,
                           county_id=person.county_id, township_id=person.township_id, village_id=person.village_id)
    result = eligibility(person)
    profile.incapacity = result.incapacity
    profile.no_income_source = result.no_income_source
    with transaction.atomic():
        profile.save()
        audit.record(actor=actor, action="tekun.open", obj=profile, region=_region(profile),
                     after={"form": form, "incapacity": result.incapacity, "reasons": result.reasons})
    return profile


def obligor_add(*, actor, profile: TekunProfile, name: str, relation: str, able_to_support: bool,
                reason: str = "") -> Obligor:
    _check(actor, Action.CASE_CHANGE, profile)
    if not able_to_support and not reason.strip():
        raise ValidationError({"reason": "请写明义务人无履行能力的原因"})
    ob = Obligor(profile=profile, name=name, relation=relation, able_to_support=able_to_support, reason=reason)
    with transaction.atomic():
        ob.save()
        profile.no_able_obligor = not profile.obligors.filter(able_to_support=True).exists()
        profile.save(update_fields=["no_able_obligor"])
        audit.record(actor=actor, action="tekun.obligor_add", obj=profile, region=_region(profile),
                     after={"name": name, "relation": relation, "able": able_to_support, "reason": reason})
    return ob


def self_care_assess(*, actor, profile: TekunProfile, assessed_on: dt.date, answers: dict[str, bool],
                     note: str = "") -> SelfCareAssessment:
    """Six activities (Henan): all met 全自理, 1-3 not met 半失能, 4+ 全失能. Re-assessed yearly; history kept."""
    _check(actor, Action.CASE_CHANGE, profile)
    missing = [label for code, label in SIX_ACTIVITIES if code not in answers]
    if missing:
        raise ValidationError(f"请评估全部六项活动（缺：{'、'.join(missing)}）")
    if assessed_on > timezone.localdate():
        raise ValidationError("评估日期不能晚于今天")
    not_met = sum(not answers[code] for code, _ in SIX_ACTIVITIES)
    a = SelfCareAssessment(profile=profile, assessed_on=assessed_on, assessor=actor, note=note,
                           level=self_care_level(not_met), **{c: bool(answers[c]) for c, _ in SIX_ACTIVITIES})
    with transaction.atomic():
        a.save()
        before = profile.self_care_level
        latest = profile.assessments.order_by("-assessed_on", "-id").first()
        profile.self_care_level, profile.last_assessed_on = latest.level, latest.assessed_on
        profile.save(update_fields=["self_care_level", "last_assessed_on"])
        audit.record(actor=actor, action="tekun.self_care_assess", obj=profile, region=_region(profile),
                     before={"level": before}, after={"level": a.level, "not_met": not_met,
                                                      "assessed_on": str(assessed_on)})
    return a


def place_in_institution(*, actor, profile: TekunProfile, institution: Institution, reason: str) -> TekunProfile:
    _check(actor, Action.CASE_PROCESS, profile)
    if institution.county_id != profile.county_id:
        raise ValidationError("只能安置到本县（市、区）的供养机构")
    if not reason.strip():
        raise ValidationError("请说明安置原因（本人意愿或综合评估结论）")
    with transaction.atomic():
        locked = Institution.objects.select_for_update().get(pk=institution.pk)
        occupied = TekunProfile.objects.filter(institution=locked, status__in=["assessing", "supported"]).exclude(
            pk=profile.pk).count()
        if occupied >= locked.capacity:
            raise ValidationError(f"{locked.name}床位已满（{locked.capacity}张）")
        profile.form, profile.institution = TekunProfile.Form.CENTRAL, locked
        profile.save(update_fields=["form", "institution"])
        audit.record(actor=actor, action="tekun.place", obj=profile, region=_region(profile),
                     after={"institution": locked.name}, reason=reason)
    return profile


def return_home(*, actor, profile: TekunProfile, reason: str) -> TekunProfile:
    _check(actor, Action.CASE_PROCESS, profile)
    with transaction.atomic():
        before = profile.institution.name if profile.institution else ""
        profile.form, profile.institution = TekunProfile.Form.DISPERSED, None
        profile.save(update_fields=["form", "institution"])
        audit.record(actor=actor, action="tekun.return_home", obj=profile, region=_region(profile),
                     before={"institution": before}, reason=reason)
    return profile


def care_agreement_sign(*, actor, profile: TekunProfile, carer_name: str, carer_relation: str, duties: str,
                        monthly_fee: Decimal, start: dt.date, end: dt.date, signed_on: dt.date, phone: str = "",
                        scan=None) -> CareAgreement:
    """§3 分散供养: a signed entrusted-care agreement (carer, duties, fee, term)."""
    _check(actor, Action.CASE_CHANGE, profile)
    if profile.form != TekunProfile.Form.DISPERSED:
        raise ValidationError("集中供养人员不需要委托照料服务协议")
    if end < start:
        raise ValidationError({"end": "协议终止日期不能早于起始日期"})
    if signed_on > start:
        raise ValidationError({"signed_on": "协议须在起始日期前（或当日）签订"})
    ag = CareAgreement(profile=profile, carer_name=carer_name, carer_relation=carer_relation, duties=duties,
                       monthly_fee=monthly_fee, start=start, end=end, signed_on=signed_on, created_by=actor)
    ag.set_phone(phone)
    if scan is not None:
        ag.scan = scan
    ag.full_clean(exclude=["created_by", "profile"])
    with transaction.atomic():
        ag.save()
        audit.record(actor=actor, action="tekun.agreement_sign", obj=profile, region=_region(profile),
                     after={"carer": carer_name, "fee": str(monthly_fee), "start": str(start), "end": str(end)})
    return ag


def visitor_assign(*, actor, profile: TekunProfile, visitor) -> TekunProfile:
    """The village assigns each dispersed person a visitor (village staff of the same village)."""
    _check(actor, Action.CASE_CHANGE, profile)
    if visitor.role != Role.VILLAGE_STAFF or visitor.region_id != profile.village_id:
        raise ValidationError("探访人须为本村（社区）专干")
    with transaction.atomic():
        profile.visitor, profile.visitor_name = visitor, visitor.full_name or visitor.username
        profile.save(update_fields=["visitor", "visitor_name"])
        audit.record(actor=actor, action="tekun.visitor_assign", obj=profile, region=_region(profile),
                     after={"visitor": visitor.username})
    return profile


def visit_log(*, actor, profile: TekunProfile, visited_on: dt.date, findings: str, needs: str = "",
              photo=None) -> CareVisit:
    _check(actor, Action.CASE_CHANGE, profile)
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": "探访日期不能晚于今天"})
    if not findings.strip():
        raise ValidationError({"findings": "请填写探访情况"})
    visit = CareVisit(profile=profile, visited_on=visited_on, visitor=actor, findings=findings, needs=needs)
    if photo is not None:
        if not photo.name.lower().endswith((".jpg", ".jpeg", ".png")):
            raise ValidationError({"photo": "照片只接受 JPG 或 PNG 格式"})
        visit.photo = photo
    with transaction.atomic():
        visit.save()
        if profile.last_visit_on is None or visited_on > profile.last_visit_on:
            profile.last_visit_on = visited_on
            profile.save(update_fields=["last_visit_on"])
        audit.record(actor=actor, action="tekun.visit", obj=profile, region=_region(profile),
                     after={"visited_on": str(visited_on), "needs": needs})
    return visit


def institution_create(*, actor, name: str, county, capacity: int, township=None, address: str = "",
                       nursing_beds: int = 0) -> Institution:
    if not can(actor, Action.SUPERVISION_CHANGE):
        raise ValidationError("只有县级民政部门可以登记供养机构")
    q = scope_q(actor, Action.SUPERVISION_CHANGE)
    if q.children and county.code != actor.region_id:
        raise ValidationError("只能登记本县（市、区）的供养机构")
    inst = Institution(name=name, county=county, township=township, address=address, capacity=capacity,
                       nursing_beds=nursing_beds)
    inst.full_clean()
    with transaction.atomic():
        inst.save()
        audit.record(actor=actor, action="institution.create", obj=inst, region=(county.code, "", ""),
                     after=audit.snapshot(inst))
    return inst


# --- selectors ---------------------------------------------------------------------------------------------

def profiles(*, user, flt: str = ""):
    """特困 persons in scope. flt: no_agreement | agreement_ending | visit_overdue | reassess_due | institution."""
    today = timezone.localdate()
    qs = (TekunProfile.objects.restrict(user, Action.CASE_VIEW)
          .select_related("person", "household", "village", "township", "institution"))
    active = qs.exclude(status=TekunProfile.Status.ENDED)
    dispersed = active.filter(form=TekunProfile.Form.DISPERSED)
    if flt == "no_agreement":
        return dispersed.exclude(agreements__start__lte=today, agreements__end__gte=today)
    if flt == "agreement_ending":
        soon = today + dt.timedelta(days=30)
        valid = CareAgreement.objects.filter(start__lte=today, end__gte=today)
        return dispersed.filter(agreements__in=valid.filter(end__lte=soon)).exclude(
            agreements__in=valid.filter(end__gt=soon)).distinct()
    if flt == "visit_overdue":
        limit = today - dt.timedelta(days=params.get("tekun.visit_interval_days"))
        return dispersed.filter(Q(last_visit_on__isnull=True) | Q(last_visit_on__lt=limit))
    if flt == "reassess_due":
        year_ago = today - dt.timedelta(days=365)
        return active.filter(Q(last_assessed_on__isnull=True) | Q(last_assessed_on__lte=year_ago))
    if flt == "institution":
        ids = [p.pk for p in dispersed if encourage_institution(p, today)]
        return qs.filter(pk__in=ids)
    return qs


def coverage(*, user) -> list[dict]:
    """Per township: dispersed persons in support, with a valid agreement, without one, visits overdue."""
    today = timezone.localdate()
    limit = today - dt.timedelta(days=params.get("tekun.visit_interval_days"))
    base = (TekunProfile.objects.restrict(user, Action.CASE_VIEW)
            .filter(form=TekunProfile.Form.DISPERSED).exclude(status=TekunProfile.Status.ENDED))
    valid = Q(agreements__start__lte=today, agreements__end__gte=today)
    rows = (base.values("township_id", "township__name")
            .annotate(total=Count("id", distinct=True), covered=Count("id", filter=valid, distinct=True),
                      overdue=Count("id", filter=Q(last_visit_on__isnull=True) | Q(last_visit_on__lt=limit),
                                    distinct=True))
            .order_by("township_id"))
    out = []
    for r in rows:
        r["missing"] = r["total"] - r["covered"]
        r["ratio"] = round(100 * r["covered"] / r["total"], 1) if r["total"] else 100.0
        out.append(r)
    return out


def institutions(*, user):
    return (Institution.objects.restrict(user, Action.CASE_VIEW)
            .annotate(occupied=Count("residents", filter=Q(residents__status__in=["assessing", "supported"])))
            .order_by("county_id", "name"))


# --- the application workflow's hooks for kind "tekun" (cases.workflow ASSESSORS / confirm) ---------------

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
