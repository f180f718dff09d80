"""Writes to the household registry. Each service checks reach, validates, saves and audits in one transaction."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import Region
from accounts.scope import Action, require
from cases.models import Household, IncomeItem, Person, PropertyItem, RigidExpense
from core import audit, bulk

PERSON_FIELDS = [
    "name", "relationship", "disability_grade", "disability_type", "serious_illness", "work_capacity",
    "employment", "school", "special_status",
]
HOUSEHOLD_FIELDS = ["village", "address", "hukou_type", "note"]
DUPLICATE_ID = "该身份证号码已在本市登记，一人只能属于一个家庭。如需迁移，请联系该家庭所在乡镇。"


def _require(actor, action: str, obj=None, *, village: Region | None = None) -> None:
    """Refuse actions outside the actor's role or region (callers already resolved obj within scope)."""
    probe = obj
    if village is not None:
        probe = Household()
        probe.place_from_village(village)
    require(actor, action, probe)


@dataclass
class MemberData:
    name: str
    id_number: str
    relationship: str
    disability_grade: int | None = None
    disability_type: str = ""
    serious_illness: str = ""
    work_capacity: str = Person.WorkCapacity.FULL
    employment: str = Person.Employment.NONE
    school: str = ""
    special_status: str = ""


def _build_person(household: Household, data: MemberData) -> Person:
    person = Person(household=household)
    person.county_id, person.township_id, person.village_id = (
        household.county_id, household.township_id, household.village_id)
    for field in PERSON_FIELDS:
        setattr(person, field, getattr(data, field))
    try:
        person.set_id_number(data.id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    if Person.objects.with_id_number(data.id_number).exclude(pk=person.pk).exists():
        raise ValidationError({"id_number": DUPLICATE_ID})
    person.full_clean(exclude=["household", "county", "township", "village"])
    return person


def _save_new_person(person: Person) -> None:
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise ValidationError({"id_number": DUPLICATE_ID}) from None


def household_create(
    *, actor, village: Region, address: str, hukou_type: str, members: list[MemberData], phone: str = "",
    note: str = "",
) -> Household:
    _require(actor, Action.CASE_CHANGE, village=village)
    if village.level != Region.Level.VILLAGE:
        raise ValidationError({"village": "请选择村（社区）"})
    heads = [m for m in members if m.relationship == Person.Relationship.HEAD]
    if len(heads) != 1:
        raise ValidationError("家庭成员中必须有且只有一位户主")
    household = Household(address=address, hukou_type=hukou_type, note=note, head_name=heads[0].name,
                          created_by=actor)
    household.place_from_village(village)
    household.set_phone(phone)
    household.full_clean(exclude=["created_by"])
    with transaction.atomic():
        household.save()
        people = []
        for data in members:
            person = _build_person(household, data)
            _save_new_person(person)
            people.append(person)
        audit.record(
            actor=actor, action="household.create", obj=household,
            after={**audit.snapshot(household, HOUSEHOLD_FIELDS + ["head_name", "phone_masked"]),
                   "members": [audit.snapshot(p, PERSON_FIELDS + ["id_masked"]) for p in people]},
        )
    return household


def household_update(*, actor, household: Household, reason: str = "", **changes) -> Household:
    _require(actor, Action.CASE_CHANGE, household)
    before = audit.snapshot(household, HOUSEHOLD_FIELDS + ["phone_masked"])
    fields = []
    if "village" in changes:
        village = changes.pop("village")
        _require(actor, Action.CASE_CHANGE, village=village)
        household.place_from_village(village)
        fields += ["village", "township", "county"]
    if "phone" in changes:
        household.set_phone(changes.pop("phone"))
        fields += ["phone_cipher", "phone_masked"]
    for key, value in changes.items():
        if key not in {"address", "hukou_type", "note"}:
            raise ValidationError(f"不能修改字段 {key}")
        setattr(household, key, value)
        fields.append(key)
    household.updated_at = timezone.now()
    household.full_clean(exclude=["created_by"])
    with transaction.atomic():
        household.save(update_fields=fields + ["updated_at"])
        if "village" in fields:
            household.members.update(county=household.county_id, township=household.township_id,
                                     village=household.village_id)
        b, a = audit.diff(before, audit.snapshot(household, HOUSEHOLD_FIELDS + ["phone_masked"]))
        audit.record(actor=actor, action="household.update", obj=household, before=b, after=a, reason=reason)
    return household


def person_add(*, actor, household: Household, data: MemberData) -> Person:
    _require(actor, Action.CASE_CHANGE, household)
    if data.relationship == Person.Relationship.HEAD and household.members.filter(relationship="head").exists():
        raise ValidationError({"relationship": "该家庭已有户主"})
    person = _build_person(household, data)
    with transaction.atomic():
        _save_new_person(person)
        audit.record(actor=actor, action="person.add", obj=person,
                     after=audit.snapshot(person, PERSON_FIELDS + ["id_masked"]))
    return person


def person_update(*, actor, person: Person, reason: str = "", **changes) -> Person:
    _require(actor, Action.CASE_CHANGE, person)
    before = audit.snapshot(person, PERSON_FIELDS + ["id_masked"])
    fields = []
    if "id_number" in changes:
        raw = changes.pop("id_number")
        if raw and raw.strip() and person.id_index not in _index_or_error(raw):
            person.set_id_number(raw)
            if Person.objects.with_id_number(raw).exclude(pk=person.pk).exists():
                raise ValidationError({"id_number": DUPLICATE_ID})
            fields += ["id_cipher", "id_index", "id_masked", "id_last4", "birth_date", "sex"]
    for key, value in changes.items():
        if key not in PERSON_FIELDS:
            raise ValidationError(f"不能修改字段 {key}")
        setattr(person, key, value)
        fields.append(key)
    if person.relationship == Person.Relationship.HEAD and Person.objects.filter(
        household_id=person.household_id, relationship="head").exclude(pk=person.pk).exists():
        raise ValidationError({"relationship": "该家庭已有户主"})
    person.full_clean(exclude=["household", "county", "township", "village"])
    with transaction.atomic():
        try:
            person.save(update_fields=fields or None)
        except IntegrityError:
            raise ValidationError({"id_number": DUPLICATE_ID}) from None
        if "name" in fields or "relationship" in fields:
            _refresh_head_name(person.household)
        b, a = audit.diff(before, audit.snapshot(person, PERSON_FIELDS + ["id_masked"]))
        audit.record(actor=actor, action="person.update", obj=person, before=b, after=a, reason=reason)
    return person


def _index_or_error(raw: str) -> list[str]:
    from core import idnumbers

    try:
        return idnumbers.index_candidates(idnumbers.parse(raw).value)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None


def _refresh_head_name(household: Household) -> None:
    head = household.members.filter(relationship=Person.Relationship.HEAD).first()
    if head and household.head_name != head.name:
        household.head_name = head.name
        household.save(update_fields=["head_name"])


def person_remove(*, actor, person: Person, reason: str) -> None:
    _require(actor, Action.CASE_CHANGE, person)
    if not reason.strip():
        raise ValidationError("删除家庭成员必须说明原因")
    if person.relationship == Person.Relationship.HEAD:
        raise ValidationError("不能删除户主；请先指定新的户主")
    with transaction.atomic():
        audit.record(actor=actor, action="person.remove", obj=person,
                     before=audit.snapshot(person, PERSON_FIELDS + ["id_masked"]), reason=reason)
        person.delete()


def person_reveal_id(*, actor, person: Person, reason: str) -> str:
    """The full ID number, for a role that needs it, with a reason; every reveal is audited."""
    _require(actor, Action.CASE_VIEW_PII, person)
    if not reason or len(reason.strip()) < 2:
        raise ValidationError("查看完整身份证号码须填写用途")
    value = person.reveal_id_number()
    audit.record(actor=actor, action="pii.reveal", obj=person, after={"field": "id_number"}, reason=reason,
                 category=audit.Category.ACCESS)
    return value


def household_reveal_phone(*, actor, household: Household, reason: str) -> str:
    _require(actor, Action.CASE_VIEW_PII, household)
    if not reason or len(reason.strip()) < 2:
        raise ValidationError("查看完整电话号码须填写用途")
    value = household.reveal_phone()
    audit.record(actor=actor, action="pii.reveal", obj=household, after={"field": "phone"}, reason=reason,
                 category=audit.Category.ACCESS)
    return value


def household_viewed(*, actor, household: Household, members: list[Person] | None = None) -> None:
    """Every view of a household with a child under 14 is audited ("pii.view_minor", PIPL art. 31)."""
    members = list(household.members.all()) if members is None else members
    minors = [p for p in members if p.is_minor_under_14]
    if minors:
        audit.record(actor=actor, action="pii.view_minor", obj=household, category=audit.Category.ACCESS,
                     after={"minors": [p.pk for p in minors]})


ITEM_MODELS = {"income": IncomeItem, "property": PropertyItem, "expense": RigidExpense}


def item_add(*, actor, household: Household, item_type: str, **values):
    """Add an income, property or expense item (`item_type` in ITEM_MODELS; `values` may carry its own `kind`)."""
    _require(actor, Action.CASE_CHANGE, household)
    model = ITEM_MODELS[item_type]
    item = model(household=household, **values)
    if getattr(item, "person_id", None) and item.person.household_id != household.pk:
        raise ValidationError({"person": "该成员不属于本家庭"})
    item.full_clean(exclude=["household"])
    with transaction.atomic():
        item.save()
        audit.record(actor=actor, action=f"{item_type}.add", obj=item, after=audit.snapshot(item),
                     region=(household.county_id, household.township_id, household.village_id),
                     object_repr=f"{household} {item._meta.verbose_name}")
    return item


def item_remove(*, actor, household: Household, item_type: str, item_id: int, reason: str = "") -> None:
    _require(actor, Action.CASE_CHANGE, household)
    model = ITEM_MODELS[item_type]
    item = model.objects.filter(household=household, pk=item_id).first()
    if item is None:
        raise ValidationError("记录不存在")
    with transaction.atomic():
        audit.record(actor=actor, action=f"{item_type}.remove", obj=item, before=audit.snapshot(item), reason=reason,
                     region=(household.county_id, household.township_id, household.village_id),
                     object_repr=f"{household} {item._meta.verbose_name}")
        item.delete()


# --- services other floors call (payments, comparisons, supervision) -------------------------------------

def payment_hold_place(*, actor, household: Household, kind: str, reason: str, person: Person | None = None,
                       source: str = ""):
    """Hold a household's payment from the next batch (deaths from data comparison, suspensions)."""
    from cases.models import PaymentHold

    hold = PaymentHold(household=household, person=person, kind=kind, reason=reason, source=source,
                       created_by=actor if getattr(actor, "is_authenticated", False) else None,
                       county_id=household.county_id, township_id=household.township_id,
                       village_id=household.village_id)
    hold.full_clean(exclude=["created_by", "county", "township", "village"])
    with transaction.atomic():
        hold.save()
        audit.record(actor=actor, action="payment_hold.place", obj=hold, after=audit.snapshot(hold),
                     reason=reason)
    return hold


def payment_hold_release(*, actor, hold, reason: str):
    if hold.released_at is not None:
        raise ValidationError("该暂停发放已解除")
    if not reason.strip():
        raise ValidationError("解除暂停发放必须说明原因")
    with transaction.atomic():
        hold.released_at = timezone.now()
        hold.released_reason = reason
        hold.save(update_fields=["released_at", "released_reason"])
        audit.record(actor=actor, action="payment_hold.release", obj=hold, reason=reason)
    return hold


def entitlement_flag_for_recheck(*, actor, entitlement, reason: str):
    """Bring an entitlement's next re-check forward to today (a confirmed data clue, a complaint)."""
    today = timezone.localdate()
    with transaction.atomic():
        before = entitlement.next_recheck
        entitlement.next_recheck = today
        entitlement.updated_at = timezone.now()
        entitlement.save(update_fields=["next_recheck", "updated_at"])
        audit.record(actor=actor, action="entitlement.recheck_requested", obj=entitlement,
                     before={"next_recheck": str(before) if before else None},
                     after={"next_recheck": str(today)}, reason=reason)
        # The monthly worklist is generated on the 1st; a re-check brought forward mid-month must not wait
        # for next month's list: put it on this month's list now, due today.
        from cases import workflow

        workflow.recheck_list_entitlement(entitlement=entitlement, on=today)
    return entitlement


def relative_links_replace(*, actor, registry_ref: str, staff_name: str, staff_user, county_code: str,
                           links: list[tuple[str, str]]) -> int:
    """Replace the registry entries of one staff member: `links` = [(id_index, relation label), ...].

    Called by the supervision app's registry services (§12 近亲属备案). Returns the number of links.
    """
    from cases.models import RelativeLink

    with transaction.atomic():
        RelativeLink.objects.filter(registry_ref=registry_ref).delete()
        RelativeLink.objects.bulk_create([
            RelativeLink(id_index=idx, registry_ref=registry_ref, staff_name=staff_name, staff_user=staff_user,
                         relation=relation, county_id=county_code)
            for idx, relation in links
        ])
    return len(links)


def relative_links_for_household(household_id: int):
    """Registry entries matching any member of the household (for flags and recusal)."""
    from cases.models import RelativeLink

    members = Person.objects.filter(household_id=household_id).values("id_index")
    return RelativeLink.objects.filter(id_index__in=members).select_related("staff_user")


def must_recuse(*, actor, household_id: int) -> bool:
    """§12: a staff member whose registered close relative is in the household may not act on its case."""
    return relative_links_for_household(household_id).filter(staff_user=actor).exists()


def refuse_if_relative(*, actor, household_id: int) -> None:
    """§12 回避: refuse any step on a case, entitlement or grant of a household with the actor's relative."""
    if must_recuse(actor=actor, household_id=household_id):
        raise ValidationError("该家庭有您备案的近亲属，按规定您须回避，不能经办或审批该家庭的救助事项")


def payment_hold_place_many(*, actor, items: list[dict], kind: str, source: str = "") -> list:
    """Hold many lines at once (deaths found by a data comparison): one INSERT for the holds (their keys are
    needed), one COPY for the audit events. `items`: dicts with household_id, person_id (or None), county_id, township_id, village_id,
    reason."""
    from cases.models import PaymentHold
    from core.models import AuditEvent

    if not items:
        return []
    user = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    holds = [PaymentHold(household_id=i["household_id"], person_id=i.get("person_id"), kind=kind,
                         reason=i["reason"][:200], source=source[:100], created_by=user, created_at=now,
                         county_id=i["county_id"], township_id=i["township_id"], village_id=i["village_id"])
             for i in items]
    with transaction.atomic():
        PaymentHold.objects.bulk_create(holds, batch_size=2000)
        if holds and holds[0].pk is None:  # a backend that does not return ids
            raise RuntimeError("bulk_create did not return primary keys")
        bulk.insert(AuditEvent, [
            AuditEvent(actor=user, actor_username=getattr(user, "username", ""), actor_role=getattr(user, "role", ""),
                       action="payment_hold.place", object_type="cases.paymenthold", object_id=str(h.pk),
                       object_repr=f"{h.get_kind_display()} 家庭{h.household_id}"[:200], county_code=h.county_id,
                       township_code=h.township_id, village_code=h.village_id, at=now,
                       after={"household": h.household_id, "person": h.person_id, "kind": kind, "source": h.source},
                       reason=h.reason)
            for h in holds
        ])
    return holds


def person_confirm_death(*, actor, person: Person, deceased_on, evidence: str):
    """The township confirms a death reported by a department (§1). Only records the fact; ending the
    entitlement is the township's separate exit procedure (termination notice)."""
    _require(actor, Action.CASE_PROCESS, person)
    if not evidence or not evidence.strip():
        raise ValidationError("确认死亡须写明核实依据（如死亡医学证明、户籍注销证明、入户核实）")
    if deceased_on is None:
        raise ValidationError("请填写核实的死亡日期")
    if deceased_on > timezone.localdate():
        raise ValidationError("死亡日期不能晚于今天")
    if deceased_on < person.birth_date:
        raise ValidationError("死亡日期不能早于出生日期")
    with transaction.atomic():
        before = person.deceased_on
        person.deceased_on = deceased_on
        person.save(update_fields=["deceased_on"])
        audit.record(actor=actor, action="person.confirm_death", obj=person,
                     before={"deceased_on": str(before) if before else None},
                     after={"deceased_on": str(deceased_on)}, reason=evidence)
    return person
