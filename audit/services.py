"""Supervision writes: the close-relative registry (§12) and the complaints ledger (§11, §12-3)."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.scope import Action, require, scope_q
from audit.models import Complaint, ComplaintStep, StaffMember, StaffRelative
from cases.models import Application, Entitlement, Person, RelativeLink
from cases.supervision import services as case_services
from core import audit, idnumbers, locks, months, params, workdays
from core.models import Alert, Region


def _within(actor, action: str, region: Region) -> None:
    q = scope_q(actor, action)
    if not q.children:
        return
    (field, value), = q.children
    level = field.removesuffix("_id")
    code = {"county": region.code[:6], "township": region.code[:9] if len(region.code) >= 9 else None,
            "village": region.code if len(region.code) == 12 else None}[level]
    if code != value:
        raise ValidationError("该区划不在您的管辖范围内")


# --- 近亲属备案 ---------------------------------------------------------------------------------------------

def _sync_links(staff: StaffMember, actor) -> None:
    links = [(r.id_index, r.get_relation_display()) for r in staff.relatives.all()] if staff.active else []
    case_services.relative_links_replace(actor=actor, registry_ref=staff.registry_ref, staff_name=staff.name,
                                         staff_user=staff.user, county_code=staff.county_id, links=links)


def staff_register(*, actor, name: str, id_number: str, kind: str, workplace: str, region: Region,
                   position: str = "", user=None) -> StaffMember:
    require(actor, Action.SUPERVISION_CHANGE)
    _within(actor, Action.SUPERVISION_CHANGE, region)
    staff = StaffMember(name=name, kind=kind, workplace=workplace, position=position, user=user,
                        registered_by=actor, county_id=region.code[:6])
    if len(region.code) >= 9:
        staff.township_id = region.code[:9]
    if len(region.code) == 12:
        staff.village_id = region.code
    try:
        staff.set_id_number(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    if StaffMember.objects.filter(id_index=staff.id_index).exists():
        raise ValidationError({"id_number": "该人员已备案"})
    staff.full_clean(exclude=["registered_by", "user", "county", "township", "village"], validate_unique=False)
    try:
        with transaction.atomic():
            staff.save()
            audit.record(actor=actor, action="relatives.staff_register", obj=staff,
                         after=audit.snapshot(staff, ["name", "kind", "workplace", "position", "id_masked"]),
                         region=(staff.county_id, staff.township_id or "", staff.village_id or ""))
    except IntegrityError:
        raise ValidationError({"id_number": "该人员已备案"}) from None
    return staff


def relative_add(*, actor, staff: StaffMember, name: str, id_number: str, relation: str) -> StaffRelative:
    require(actor, Action.SUPERVISION_CHANGE)
    rel = StaffRelative(staff=staff, name=name, relation=relation)
    try:
        rel.set_id_number(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    if rel.id_index == staff.id_index:
        raise ValidationError({"id_number": "近亲属不能是备案人员本人"})
    if staff.relatives.filter(id_index=rel.id_index).exists():
        raise ValidationError({"id_number": "该近亲属已登记"})
    rel.full_clean(exclude=["staff"], validate_unique=False)
    try:
        with transaction.atomic():
            rel.save()
            _sync_links(staff, actor)
            audit.record(actor=actor, action="relatives.add", obj=rel,
                         after=audit.snapshot(rel, ["name", "relation", "id_masked"]),
                         region=(staff.county_id, staff.township_id or "", staff.village_id or ""),
                         object_repr=f"{staff.name}的近亲属{rel.name}")
    except IntegrityError:
        raise ValidationError({"id_number": "该近亲属已登记"}) from None
    return rel


def relative_remove(*, actor, relative: StaffRelative, reason: str) -> None:
    require(actor, Action.SUPERVISION_CHANGE)
    if not reason.strip():
        raise ValidationError("删除近亲属备案必须说明原因")
    staff = relative.staff
    with transaction.atomic():
        audit.record(actor=actor, action="relatives.remove", obj=relative, reason=reason,
                     before=audit.snapshot(relative, ["name", "relation", "id_masked"]),
                     region=(staff.county_id, staff.township_id or "", staff.village_id or ""))
        relative.delete()
        _sync_links(staff, actor)


def staff_verify(*, actor, staff: StaffMember, note: str = "") -> StaffMember:
    """Periodic re-verification of a staff member's registry (param relatives.reverify_months)."""
    require(actor, Action.SUPERVISION_CHANGE)
    with transaction.atomic():
        before = staff.last_verified_at
        staff.last_verified_at = timezone.localdate()
        staff.save(update_fields=["last_verified_at"])
        _sync_links(staff, actor)
        audit.record(actor=actor, action="relatives.verify", obj=staff, before={"last_verified_at": str(before)},
                     after={"last_verified_at": str(staff.last_verified_at)}, reason=note,
                     region=(staff.county_id, staff.township_id or "", staff.village_id or ""))
    return staff


def staff_deactivate(*, actor, staff: StaffMember, reason: str) -> StaffMember:
    require(actor, Action.SUPERVISION_CHANGE)
    if not reason.strip():
        raise ValidationError("请说明原因（如调离、退休）")
    with transaction.atomic():
        staff.active = False
        staff.save(update_fields=["active"])
        _sync_links(staff, actor)
        audit.record(actor=actor, action="relatives.staff_deactivate", obj=staff, reason=reason,
                     region=(staff.county_id, staff.township_id or "", staff.village_id or ""))
    return staff


def reverify_due_date(staff: StaffMember) -> dt.date:
    return months.add_months(staff.last_verified_at, params.get("relatives.reverify_months"))


# --- 信访/投诉举报 ------------------------------------------------------------------------------------------

def _next_number(received_on: dt.date) -> str:
    """The year's next 信访 number. Two registrations at the same moment would read the same last number, so
    the year's numbering is locked until the registering transaction commits."""
    prefix = f"XF{received_on:%Y}"
    locks.hold(f"audit.complaint_number:{prefix}")
    last = (Complaint.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
            .first())
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:06d}"


def complaint_register(*, actor, source: str, complainant_name: str, category: str, summary: str, content: str,
                       region: Region, phone: str = "", id_number: str = "", household=None,
                       received_on: dt.date | None = None, counselling_referral: bool = False) -> Complaint:
    """Register a complaint; assigned to the township when `region` is a township/village, else the county."""
    require(actor, Action.COMPLAINT_HANDLE)
    _within(actor, Action.COMPLAINT_HANDLE, region)
    received_on = received_on or timezone.localdate()
    c = Complaint(source=source, complainant_name=complainant_name, category=category, summary=summary,
                  content=content, received_on=received_on, created_by=actor, household=household,
                  counselling_referral=counselling_referral, county_id=region.code[:6])
    if household is not None:
        c.county_id, c.township_id, c.village_id = household.county_id, household.township_id, household.village_id
    else:
        c.township_id = region.code[:9] if len(region.code) >= 9 else None
        c.village_id = region.code if len(region.code) == 12 else None
    c.set_phone(phone)
    if id_number:
        try:
            sealed = idnumbers.seal(idnumbers.parse(id_number), aad=c.aad("id_number"))
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages}) from None
        c.id_cipher, c.id_index, c.id_masked = sealed.cipher, sealed.index, sealed.masked
    c.due_on = workdays.add_workdays(received_on, params.get("complaint.due_workdays", received_on))
    c.is_repeat = complaint_is_repeat(id_index=c.id_index, household_id=c.household_id, received_on=received_on)
    with transaction.atomic():
        c.number = _next_number(received_on)
        c.full_clean(exclude=["created_by", "county", "township", "village", "household"])
        c.save()
        ComplaintStep.objects.create(complaint=c, actor=actor, action="登记",
                                     note=f"{c.get_source_display()}受理，办理期限{c.due_on:%Y-%m-%d}"
                                          + ("；重复信访" if c.is_repeat else ""))
        audit.record(actor=actor, action="complaint.register", obj=c,
                     after=audit.snapshot(c, ["number", "source", "category", "summary", "due_on", "is_repeat",
                                              "household"]),
                     region=(c.county_id, c.township_id or "", c.village_id or ""))
    return c


def complaint_is_repeat(*, id_index: str, household_id: int | None, received_on: dt.date) -> bool:
    """The same person (ID) or the same household complained within the past 12 months."""
    since = received_on - dt.timedelta(days=365)
    qs = Complaint.objects.filter(received_on__gte=since, received_on__lte=received_on)
    q = Q(pk__in=[])
    if id_index:
        q |= Q(id_index=id_index)
    if household_id:
        q |= Q(household_id=household_id)
    return qs.filter(q).exists()


def complaint_step(*, actor, complaint: Complaint, action: str, note: str) -> ComplaintStep:
    require(actor, Action.COMPLAINT_HANDLE)
    if not complaint.is_open:
        raise ValidationError("该信访事项已办结或转办，不能继续登记办理环节")
    if not note.strip():
        raise ValidationError("请填写办理情况")
    with transaction.atomic():
        step = ComplaintStep.objects.create(complaint=complaint, actor=actor, action=action or "办理", note=note)
        if complaint.status == Complaint.Status.REGISTERED:
            complaint.status = Complaint.Status.HANDLING
            complaint.save(update_fields=["status"])
        audit.record(actor=actor, action="complaint.step", obj=complaint, after={"action": step.action,
                     "note": note}, region=(complaint.county_id, complaint.township_id or "",
                                            complaint.village_id or ""))
    return step


def complaint_assign(*, actor, complaint: Complaint, township: Region, reason: str = "") -> Complaint:
    """County hands the complaint to a township in the county."""
    require(actor, Action.SUPERVISION_CHANGE)
    if township.level != Region.Level.TOWNSHIP or township.code[:6] != complaint.county_id:
        raise ValidationError("只能交办给本县（市、区）的乡镇（街道）")
    with transaction.atomic():
        before = complaint.township_id
        complaint.township_id = township.code
        complaint.save(update_fields=["township"])
        ComplaintStep.objects.create(complaint=complaint, actor=actor, action="交办", note=f"交{township.name}办理。{reason}")
        audit.record(actor=actor, action="complaint.assign", obj=complaint, before={"township": before},
                     after={"township": township.code}, reason=reason)
    return complaint


def complaint_close(*, actor, complaint: Complaint, result: str, satisfied: bool | None,
                    counselling_referral: bool | None = None) -> Complaint:
    require(actor, Action.COMPLAINT_HANDLE)
    if not complaint.is_open:
        raise ValidationError("该信访事项已办结")
    if not result.strip():
        raise ValidationError("办结须填写办理结果")
    with transaction.atomic():
        complaint.status = Complaint.Status.CLOSED
        complaint.result = result
        complaint.satisfied = satisfied
        complaint.closed_on = timezone.localdate()
        fields = ["status", "result", "satisfied", "closed_on"]
        if counselling_referral is not None:
            complaint.counselling_referral = counselling_referral
            fields.append("counselling_referral")
        complaint.save(update_fields=fields)
        ComplaintStep.objects.create(complaint=complaint, actor=actor, action="办结",
                                     note=result + ("（信访人满意）" if satisfied else "（信访人不满意）" if satisfied is False else ""))
        audit.record(actor=actor, action="complaint.close", obj=complaint,
                     after={"result": result, "satisfied": satisfied})
    return complaint


def complaint_transfer(*, actor, complaint: Complaint, to: str, reason: str) -> Complaint:
    require(actor, Action.COMPLAINT_HANDLE)
    if not complaint.is_open:
        raise ValidationError("该信访事项已办结")
    if not to.strip():
        raise ValidationError("请填写转办单位")
    with transaction.atomic():
        complaint.status = Complaint.Status.TRANSFERRED
        complaint.transferred_to = to
        complaint.closed_on = timezone.localdate()
        complaint.save(update_fields=["status", "transferred_to", "closed_on"])
        ComplaintStep.objects.create(complaint=complaint, actor=actor, action="转办", note=f"转{to}。{reason}")
        audit.record(actor=actor, action="complaint.transfer", obj=complaint, after={"to": to}, reason=reason)
    return complaint


def relatives_check() -> int:
    """Nightly (§12): every open application and open entitlement whose household holds a registered close
    relative gets a county alert (once) — so cases registered before the relative was, or whose member was
    added later, are flagged too. Returns the number of new flags. Set-based: a fixed number of queries."""
    households = Person.objects.filter(id_index__in=RelativeLink.objects.values("id_index")).values("household_id")
    alerts = [
        Alert(dedupe_key=f"relative-application:{app.pk}", region_code=app.handling_county_id,
              level=Alert.Level.WARNING, kind="relative_case",
              message=f"{app.number}（{app.household}）为备案近亲属申请", link=f"/applications/{app.pk}/")
        for app in Application.objects.open().filter(household_id__in=households).select_related("household")
    ] + [
        Alert(dedupe_key=f"relative-entitlement:{ent.pk}", region_code=ent.county_id, level=Alert.Level.WARNING,
              kind="relative_case", message=f"{ent.household}（{ent.get_category_display()}）为备案近亲属在保对象",
              link="/supervision/relatives/matches/")
        for ent in Entitlement.objects.open().filter(household_id__in=households).select_related("household")
    ]
    if not alerts:
        return 0
    known = set(Alert.objects.filter(dedupe_key__in=[a.dedupe_key for a in alerts])
                .values_list("dedupe_key", flat=True))
    new = [a for a in alerts if a.dedupe_key not in known]
    Alert.objects.bulk_create(new, ignore_conflicts=True)  # a concurrent run may have flagged one meanwhile
    return len(new)
