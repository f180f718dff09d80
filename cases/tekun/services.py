"""特困人员救助供养 services (§3): the person-level support — profiles, obligors, self-care assessments,
institution or home care, care agreements, visitors and visits. Decisions on applications reuse the application
workflow (cases.tekun.kinds); eligibility and amounts are in cases.tekun.eligibility."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from accounts.scope import Action, require, scope_q
from cases.households.models import Person
from cases.tekun.care_level import care_change_follow
from cases.tekun.eligibility import eligibility
from cases.tekun.models import (
    SIX_ACTIVITIES,
    CareAgreement,
    CareVisit,
    Institution,
    Obligor,
    SelfCareAssessment,
    TekunProfile,
    self_care_level,
)
from core import audit


def _region(obj):
    return (obj.county_id, obj.township_id, obj.village_id)


def profile_open(*, actor, person: Person, form: str = TekunProfile.Form.DISPERSED,
                 can_express_wishes: bool = True, income_note: str = "") -> TekunProfile:
    require(actor, Action.CASE_CHANGE, person)
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
    require(actor, Action.CASE_CHANGE, profile)
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
    require(actor, Action.CASE_CHANGE, profile)
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
        if profile.self_care_level != before:
            care_change_follow(actor=actor, profile=profile, reason=f"{assessed_on:%Y年%m月%d日}生活自理能力评估")
    return a


def place_in_institution(*, actor, profile: TekunProfile, institution: Institution, reason: str) -> TekunProfile:
    require(actor, Action.CASE_PROCESS, profile)
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
        care_change_follow(actor=actor, profile=profile, reason=f"入住{locked.name}集中供养")
    return profile


def return_home(*, actor, profile: TekunProfile, reason: str) -> TekunProfile:
    require(actor, Action.CASE_PROCESS, profile)
    with transaction.atomic():
        before = profile.institution.name if profile.institution else ""
        profile.form, profile.institution = TekunProfile.Form.DISPERSED, None
        profile.save(update_fields=["form", "institution"])
        audit.record(actor=actor, action="tekun.return_home", obj=profile, region=_region(profile),
                     before={"institution": before}, reason=reason)
        care_change_follow(actor=actor, profile=profile, reason="回家分散供养")
    return profile


def care_agreement_sign(*, actor, profile: TekunProfile, carer_name: str, carer_relation: str, duties: str,
                        monthly_fee: Decimal, start: dt.date, end: dt.date, signed_on: dt.date, phone: str = "",
                        scan=None) -> CareAgreement:
    """§3 分散供养: a signed entrusted-care agreement (carer, duties, fee, term)."""
    require(actor, Action.CASE_CHANGE, profile)
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
    require(actor, Action.CASE_CHANGE, profile)
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
    require(actor, Action.CASE_CHANGE, profile)
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
    require(actor, Action.SUPERVISION_CHANGE, refuse="只有县级民政部门可以登记供养机构")
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
