"""Writes to the household registry. Each service checks reach, validates, saves and audits in one transaction."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.scope import Action, require
from cases.households.models import Household, IncomeItem, Person, PropertyItem, RigidExpense
from core import audit, idnumbers, locks
from core.models import Region

PERSON_FIELDS = [
    "name", "relationship", "disability_grade", "disability_type", "serious_illness", "work_capacity",
    "employment", "school", "special_status",
]


HOUSEHOLD_FIELDS = ["village", "address", "hukou_type", "note"]


# Higher rooms react to changes that may end eligibility (a member's special status, new income or property):
# cases.dibao.changes registers itself here from CasesConfig.ready, so the registry never imports it.
CHANGE_LISTENERS: list = []


def on_change(listener) -> None:
    """Register `listener(*, actor, household, what)`; called inside the writing transaction."""
    if listener not in CHANGE_LISTENERS:
        CHANGE_LISTENERS.append(listener)


def _changed(actor, household: Household, what: str) -> None:
    for listener in CHANGE_LISTENERS:
        listener(actor=actor, household=household, what=what)


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


# id_index: the duplicate is looked up just before (DUPLICATE_ID), and one written in between is refused by the
# constraint at the write (_write_person) with the same message — not with Django's "具有 身份证号盲索引 的 家庭成员 已存在"
PERSON_CLEAN_EXCLUDE = ["household", "county", "township", "village", "id_index"]


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
    person.full_clean(exclude=PERSON_CLEAN_EXCLUDE)
    return person


def _write_person(person: Person, write) -> None:
    """Write a member under a lock on its blind index: two registrations of one person at the same moment take
    turns, and the second is refused by the persons' unique blind index (an IntegrityError) once the first is
    written. Without the turn, its exclusion constraint (cases migration 0020) would have each wait for the other
    until PostgreSQL ended one; a bulk import, which takes no such lock, can still meet one that way, and the
    write is then made again (core.locks.retry_deadlock)."""
    def locked():
        locks.hold(f"cases.person.id_index:{person.id_index}")
        write()
    locks.retry_deadlock(locked)


def _save_new_person(person: Person) -> None:
    try:
        _write_person(person, person.save)
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
            # open entitlements follow the household: they are scoped (payments, indicators) by their own region
            household.entitlements.open().update(county=household.county_id, township=household.township_id,
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
    person.full_clean(exclude=PERSON_CLEAN_EXCLUDE)
    with transaction.atomic():
        try:
            _write_person(person, lambda: person.save(update_fields=fields or None))
        except IntegrityError:
            raise ValidationError({"id_number": DUPLICATE_ID}) from None
        if "name" in fields or "relationship" in fields:
            _refresh_head_name(person.household)
        b, a = audit.diff(before, audit.snapshot(person, PERSON_FIELDS + ["id_masked"]))
        audit.record(actor=actor, action="person.update", obj=person, before=b, after=a, reason=reason)
        if "special_status" in a and person.special_status:
            _changed(actor, person.household, f"{person.name}：{person.get_special_status_display()}")
    return person


def _index_or_error(raw: str) -> list[str]:

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
    _check_item(item, household)
    with transaction.atomic():
        item.save()
        audit.record(actor=actor, action=f"{item_type}.add", obj=item, after=audit.snapshot(item),
                     region=(household.county_id, household.township_id, household.village_id),
                     object_repr=f"{household} {item._meta.verbose_name}")
        if item_type in ("income", "property"):
            money = item.amount_12m if item_type == "income" else item.value
            _changed(actor, household, f"新增{item._meta.verbose_name}：{item.get_kind_display()}{money}元"[:100])
    return item


def _check_item(item, household: Household) -> None:
    """Field errors in Chinese for what the table's constraints would refuse (they stay as the last line)."""
    if getattr(item, "person_id", None) and item.person.household_id != household.pk:
        raise ValidationError({"person": "该成员不属于本家庭"})
    negative = {f.name: "金额不能为负数，请填写 0 或正数（没有请填 0）" for f in item._meta.concrete_fields
                if isinstance(f, models.DecimalField) and getattr(item, f.attname) is not None
                and getattr(item, f.attname) < 0}
    if negative:
        raise ValidationError(negative)
    item.full_clean(exclude=["household"])


def item_update(*, actor, household: Household, item_type: str, item_id: int, **values):
    """Correct an income, property or expense item in place (audited with before and after)."""
    _require(actor, Action.CASE_CHANGE, household)
    model = ITEM_MODELS[item_type]
    with transaction.atomic():
        item = model.objects.select_for_update().filter(household=household, pk=item_id).first()
        if item is None:
            raise ValidationError("该记录已不存在（可能已被删除），请刷新页面")
        before = audit.snapshot(item)
        for name, value in values.items():
            setattr(item, name, value)
        _check_item(item, household)
        item.save()
        b, a = audit.diff(before, audit.snapshot(item))
        audit.record(actor=actor, action=f"{item_type}.change", obj=item, before=b, after=a,
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
