"""Write a validated Plan: set-based, in one transaction (the caller's), never a save() per row.

New households get their primary keys reserved from the table's sequence, so households, members and
entitlements are each written by one COPY (PostgreSQL; bulk_create elsewhere) through core.bulk. Every ID
number is sealed exactly as `Person.set_id_number` does (SM4 bound to the row's uid, the blind index already
computed during validation, masked form, last four); the household's phone as `set_phone` does.
Update mode changes the listed fields of existing households and members with bulk updates.
"""
from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from cases.models import Entitlement, Household, Person
from core import bulk, crypto, idnumbers, pii
from imports.columns import BY_KEY
from imports.plan import Plan

PERSON_AAD = "cases.person.id_number:"  # == Person(uid=u).aad("id_number") without the uid
PHONE_AAD = "cases.household.phone:"  # == Household(uid=u).aad("phone") without the uid
IMPORT_NOTE = "批量导入"
FLUSH_EVERY = 10_000

HOUSEHOLD_FIELDS = ["id", "uid", "key_version", "address", "hukou_type", "head_name", "phone_cipher", "phone_masked",
                    "note", "created_at", "updated_at", "county_id", "township_id", "village_id", "created_by_id"]
PERSON_FIELDS = ["uid", "key_version", "name", "id_cipher", "id_index", "id_masked", "id_last4", "sex", "birth_date",
                 "relationship", "disability_grade", "disability_type", "serious_illness", "work_capacity",
                 "created_at", "county_id", "township_id", "village_id", "household_id"]
ENTITLEMENT_FIELDS = ["household_id", "category", "status", "persons_covered", "monthly_amount", "start_month",
                      "reason", "created_at", "updated_at", "county_id", "township_id", "village_id"]


def create(plan: Plan, *, actor_id: int | None, progress=None) -> list[int]:
    """Insert every household marked 'create' with its members and entitlement; returns the new ids."""
    new = [h for h in plan.households if h.action == "create"]
    if not new:
        return []
    ids = bulk.reserve_ids(Household, len(new))
    now = timezone.now()
    key_version = crypto.key_version(crypto.encrypt("", aad="probe"))
    households, persons, entitlements = [], [], []
    encrypt = crypto.encrypt
    for done, (hid, h) in enumerate(zip(ids, new, strict=True), start=1):
        village, township, county = h.village, h.village[:9], h.village[:6]
        uid = uuid.uuid4()
        head = next(m for m in h.members if m.relationship == Person.Relationship.HEAD)
        phone_cipher = pii.seal(h.phone, aad=f"{PHONE_AAD}{uid}") if h.phone else None
        households.append((hid, uid, key_version, h.address, h.hukou_type, head.name, phone_cipher,
                           pii.mask_phone(h.phone), IMPORT_NOTE, now, now, county, township, village, actor_id))
        for m in h.members:
            puid = uuid.uuid4()
            value = m.id_value
            birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))  # validated already
            persons.append((puid, key_version, m.name, encrypt(value, aad=f"{PERSON_AAD}{puid}"), m.index,
                            idnumbers.mask(value), value[-4:], "M" if int(value[16]) % 2 else "F", birth,
                            m.relationship, m.disability_grade, m.disability_type, m.serious_illness, m.work_capacity,
                            now, county, township, village, hid))
        if h.entitlement:
            category, amount, start, covered = h.entitlement
            entitlements.append((hid, category, Entitlement.Status.ACTIVE, covered, amount, start, IMPORT_NOTE, now,
                                 now, county, township, village))
        if done % FLUSH_EVERY == 0 or done == len(new):  # bounded memory: one COPY per few thousand households
            bulk.insert_rows(Household, HOUSEHOLD_FIELDS, households)
            bulk.insert_rows(Person, PERSON_FIELDS, persons)
            bulk.insert_rows(Entitlement, ENTITLEMENT_FIELDS, entitlements)
            households, persons, entitlements = [], [], []
            if progress:
                progress(done, len(new))
    return ids


def _shown(field: str, person_id, value):
    """A stored code as people read it (农村, 配偶, 无劳动能力), for the audit event and the result page."""
    model = Household if person_id is None else Person
    choices = dict(model._meta.get_field(field).choices or ())
    return choices.get(value, value)


def update(plan: Plan) -> list[dict]:
    """Apply the field changes of every household marked 'update'; returns them for the audit event."""
    now = timezone.now()
    changes = [(h.existing_id, *change) for h in plan.households if h.action == "update" for change in h.changes]
    rows = [{"row": row, "household": hid, "person": pid, "field": field, "label": BY_KEY[field].label,
             "before": _shown(field, pid, before), "after": _shown(field, pid, after)}
            for hid, row, field, before, after, pid in changes]
    households = Household.objects.in_bulk({c[0] for c in changes})
    persons = Person.objects.in_bulk({c[5] for c in changes if c[5] is not None})
    for hid, _row, field, _before, after, pid in changes:
        setattr(households[hid] if pid is None else persons[pid], field, after)
    for household in households.values():
        household.updated_at = now
    household_fields = sorted({c[2] for c in changes if c[5] is None} | {"updated_at"})
    person_fields = sorted({c[2] for c in changes if c[5] is not None})
    if households:
        Household.objects.bulk_update(list(households.values()), household_fields, batch_size=2000)
    if person_fields:
        Person.objects.bulk_update(list(persons.values()), person_fields, batch_size=2000)
    return rows
