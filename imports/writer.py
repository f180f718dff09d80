"""Write a validated Plan: set-based, in one transaction (the caller's), never a save() per row.

New households get their primary keys reserved from the table's sequence, so households, members and
entitlements are each written by one COPY (PostgreSQL; bulk_create elsewhere) through core.bulk. Every ID
number is sealed exactly as `Person.set_id_number` does (SM4 bound to the row's uid, the blind index already
computed during validation, masked form, last four); the household's phone as `set_phone` does.
Update mode changes the listed fields of existing households and members with bulk updates.
"""
from __future__ import annotations

from array import array

from django.db import connection
from django.utils import timezone

from cases.models import Entitlement, Household, Person
from core import bulk, crypto, idnumbers, pii
from imports.columns import BY_KEY
from imports.plan import Plan, payee_hook

PERSON_AAD = "cases.person.id_number:"  # == Person(uid=u).aad("id_number") without the uid
PHONE_AAD = "cases.household.phone:"  # == Household(uid=u).aad("phone") without the uid
IMPORT_NOTE = "批量导入"
FLUSH_EVERY = 10_000

HOUSEHOLD_FIELDS = ["id", "uid", "key_version", "address", "hukou_type", "head_name", "phone_cipher", "phone_masked",
                    "note", "created_at", "updated_at", "county_id", "township_id", "village_id", "created_by_id"]
PERSON_FIELDS = ["uid", "key_version", "name", "id_cipher", "id_index", "id_masked", "id_last4", "sex", "birth_date",
                 "relationship", "disability_grade", "disability_type", "serious_illness", "work_capacity",
                 "created_at", "county_id", "township_id", "village_id", "household_id"]
NEW_PERSON_FIELDS = ["id", *PERSON_FIELDS]  # new households' members: primary keys reserved in file order
ENTITLEMENT_FIELDS = ["household_id", "category", "status", "persons_covered", "monthly_amount", "start_month",
                      "reason", "created_at", "updated_at", "county_id", "township_id", "village_id"]


def _seal_id(value: str, uid: str) -> bytes:
    """As Person.set_id_number seals: SM4-GCM bound to the row's uid."""
    return crypto.encrypt(value, aad=PERSON_AAD + uid)


def _person_row(m, uid: str, key_version: int, now, village: str, hid: int) -> tuple:
    value = m.id_value
    return (uid, key_version, m.name, _seal_id(value, uid), m.index, idnumbers.mask(value), value[-4:],
            "M" if int(value[16]) % 2 else "F", f"{value[6:10]}-{value[10:12]}-{value[12:14]}", m.relationship,
            m.disability_grade, m.disability_type, m.serious_illness, m.work_capacity, now, village[:6], village[:9],
            village, hid)


def _person_line(row: tuple) -> str:
    """A new member's row (NEW_PERSON_FIELDS) as a COPY line: only the free text is escaped, the rest are codes,
    digits and hex (the generic `_line` costs a type test per value: 5 million for a county)."""
    escape = bulk.escape
    return "\t".join((str(row[0]), row[1], str(row[2]), escape(row[3]), "\\\\x" + row[4].hex(), *row[5:11],
                      "\\N" if row[11] is None else str(row[11]), row[12], escape(row[13]), *row[14:19], str(row[19])))


def _household_rows(new, ids, heads, key_version, now, actor_id):
    for uid, hid, h in zip(bulk.rising_uids(len(new)), ids, new, strict=True):
        head = h.members[heads[hid]] if hid in heads else next(m for m in h.members
                                                               if m.relationship == Person.Relationship.HEAD)
        phone_cipher = pii.seal(h.phone, aad=f"{PHONE_AAD}{uid}") if h.phone else None
        yield (hid, uid, key_version, h.address, h.hukou_type, head.name, phone_cipher, pii.mask_phone(h.phone),
               IMPORT_NOTE, now, now, h.village[:6], h.village[:9], h.village, actor_id)


class _Members:
    """The members of the new households in file order: their primary keys are reserved in that order, so a
    household's members are written next to each other and list as the file lists them.

    Their unique blind index is a keyed hash, whose values fall anywhere: on PostgreSQL it is kept unique by a hash
    index (cases migration 0020), which no write order needs. (A unique B-tree of these keys had a county's members,
    even written in index order, touch nearly every one of its pages: at 10,000,000 persons most of what grew.)
    The uids rise (core.bulk.rising_uids): their unique B-tree grows at one end."""

    def __init__(self, new):
        self.new = new
        self.offsets = array("q")  # first member of each household
        total = 0
        for h in new:
            self.offsets.append(total)
            total += len(h.members)
        self.total = total

    def heads(self, ids, pids) -> dict[int, int]:
        """{household id: the head's position in its members}, and each household's head person id noted on it."""
        out = {}
        for i, (hid, h) in enumerate(zip(ids, self.new, strict=True)):
            j = next(j for j, m in enumerate(h.members) if m.relationship == Person.Relationship.HEAD)
            out[hid] = j
            h.head_id = pids[self.offsets[i] + j]
        return out

    def rows(self, ids, pids, key_version, now, progress=None):
        """Member rows (NEW_PERSON_FIELDS) in file order; `progress` every FLUSH_EVERY rows (cancel)."""
        new, total = self.new, self.total
        uids = bulk.rising_uids(total)
        p = 0
        for hid, h in zip(ids, new, strict=True):
            village = h.village
            for m in h.members:
                yield (pids[p], *_person_row(m, next(uids), key_version, now, village, hid))
                p += 1
                if progress and p % FLUSH_EVERY == 0:
                    progress(p * len(new) // total)


def _entitlement_rows(pairs, now):
    for hid, h in pairs:
        if h.entitlement:
            category, amount, start, covered = h.entitlement
            yield (hid, category, Entitlement.Status.ACTIVE, covered, amount, start, IMPORT_NOTE, now, now,
                   h.village[:6], h.village[:9], h.village)


def _line(row: tuple) -> str:
    """A row as a COPY text line, formatted for the types these rows hold (faster than the generic one)."""
    out = []
    for v in row:
        if v is None:
            out.append("\\N")
        elif v.__class__ is str:
            out.append(bulk.escape(v))
        elif v.__class__ is bytes:
            out.append("\\\\x" + v.hex())
        else:
            out.append(str(v))
    return "\t".join(out)


def _write(model, fields, rows, line=_line) -> None:
    """PostgreSQL: one streamed COPY (the server indexes while the rows are sealed); elsewhere batches."""
    if connection.vendor == "postgresql":
        bulk.copy_lines(model, fields, map(line, rows))
        return
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= FLUSH_EVERY:
            bulk.insert_rows(model, fields, batch)
            batch = []
    bulk.insert_rows(model, fields, batch)


def create(plan: Plan, *, actor_id: int | None, progress=None) -> list[int]:
    """Insert every household marked 'create' with its members and entitlement; returns the new ids (and notes
    each household's head on it: `head_id`). Rows are made as they are written (streamed), so memory stays
    bounded whatever the file's size."""
    new = [h for h in plan.households if h.action == "create"]
    if not new:
        return []
    members = _Members(new)
    ids = bulk.reserve_ids(Household, len(new))
    pids = array("q")  # reserved in chunks: a list of 280,000 fetched rows at once took 24 MB
    for start in range(0, members.total, 50_000):
        pids.extend(bulk.reserve_ids(Person, min(50_000, members.total - start)))
    heads = members.heads(ids, pids)
    now = timezone.now().isoformat()
    key_version = crypto.key_version(crypto.encrypt("", aad="probe"))
    # no query may run while a streamed COPY is in progress: on PostgreSQL `progress` (the cancel check) is
    # called between the COPYs only
    tick = (lambda done: progress(done, len(new))) if progress and connection.vendor != "postgresql" else None
    _write(Household, HOUSEHOLD_FIELDS, _household_rows(new, ids, heads, key_version, now, actor_id))
    del heads
    if progress:
        progress(0, len(new))
    _write(Person, NEW_PERSON_FIELDS, members.rows(ids, pids, key_version, now, tick), line=_person_line)
    del members, pids
    if progress:
        progress(len(new), len(new))
    _write(Entitlement, ENTITLEMENT_FIELDS, _entitlement_rows(zip(ids, new, strict=True), now))
    return ids


LABELS = {"member": "新增成员"}
NOT_MODEL_FIELDS = {"member", "card_number"}  # changes written by add_members / payees, not by setattr


def _shown(field: str, person_id, value):
    """A stored code as people read it (农村, 配偶, 无劳动能力), for the audit event and the result page."""
    if field in NOT_MODEL_FIELDS:
        return value
    model = Household if person_id is None else Person
    choices = dict(model._meta.get_field(field).choices or ())
    return choices.get(value, value)


def describe(plan: Plan, added: dict[int, int] | None = None) -> list[dict]:
    """Every change of the households marked 'update' as the result page and the audit event show it; `added`
    maps a new member's row to the person written (none in a dry run)."""
    added = added or {}
    return [{"row": row, "household": h.existing_id, "person": added.get(row) if field == "member" else pid,
             "field": field, "label": LABELS.get(field) or BY_KEY[field].label,
             "before": _shown(field, pid, before), "after": _shown(field, pid, after)}
            for h in plan.households if h.action == "update" for row, field, before, after, pid in h.changes]


def add_members(plan: Plan) -> dict[int, int]:
    """Update mode: insert the new members of existing households (sealed as in create); returns {row: person id}."""
    now = timezone.now().isoformat()
    key_version = crypto.key_version(crypto.encrypt("", aad="probe"))
    persons, rows = [], {}
    uids = bulk.rising_uids(sum(len(h.new_members) for h in plan.households if h.action == "update"))
    for h in plan.households:
        if h.action != "update" or not h.new_members:
            continue
        village = h.existing_village
        for m, uid in zip(h.new_members, uids, strict=False):
            persons.append(_person_row(m, uid, key_version, now, village, h.existing_id))
            rows[m.index] = m.row
    if not persons:
        return {}
    bulk.insert_rows(Person, PERSON_FIELDS, persons)
    return {rows[index]: pk for index, pk in Person.objects.filter(id_index__in=list(rows)).values_list("id_index", "pk")}


def update(plan: Plan, added: dict[int, int] | None = None) -> list[dict]:
    """Apply the field changes of every household marked 'update'; returns every change for the audit event."""
    now = timezone.now()
    changes = [(h.existing_id, *change) for h in plan.households if h.action == "update" for change in h.changes]
    rows = describe(plan, added)
    households = Household.objects.in_bulk({c[0] for c in changes})
    fields = [c for c in changes if c[2] not in NOT_MODEL_FIELDS]
    persons = Person.objects.in_bulk({c[5] for c in fields if c[5] is not None})
    for hid, _row, field, _before, after, pid in fields:
        setattr(households[hid] if pid is None else persons[pid], field, after)
    for household in households.values():
        household.updated_at = now
    household_fields = sorted({c[2] for c in fields if c[5] is None} | {"updated_at"})
    person_fields = sorted({c[2] for c in fields if c[5] is not None})
    if households:
        Household.objects.bulk_update(list(households.values()), household_fields, batch_size=2000)
    if person_fields:
        Person.objects.bulk_update(list(persons.values()), person_fields, batch_size=2000)
    return rows


def payees(plan: Plan, created: list[int], *, actor_id: int | None) -> int:
    """The cards of the file: every new household's, and in update mode every changed one, paid to the head;
    sealed by funds itself (through the registry hook)."""
    wanted = {hid: h for hid, h in zip(created, (h for h in plan.households if h.action == "create"), strict=True)
              if h.card}
    wanted.update({h.existing_id: h for h in plan.households if h.action == "update" and h.card_changed})
    if not wanted:
        return 0
    hook = payee_hook()
    if hook is None:
        raise RuntimeError("funds is not installed: cards cannot be stored")
    heads = {hid: (h.head_id, next(m.name for m in h.members if m.relationship == Person.Relationship.HEAD),
                   h.village) for hid, h in wanted.items() if h.head_id}  # new households: noted by `create`
    ids = [hid for hid in wanted if hid not in heads]
    for start in range(0, len(ids), 5_000):
        heads.update({hid: (pk, name, village) for hid, pk, name, village in Person.objects.filter(
            household_id__in=ids[start:start + 5_000], relationship=Person.Relationship.HEAD)
            .values_list("household_id", "pk", "name", "village_id")})
    entries = []
    for hid, h in wanted.items():
        pk, name, village = heads[hid]
        entries.append((hid, pk, name, h.card, h.bank, village[:6], village[:9], village))
    return hook["write"](entries, actor_id=actor_id, new_households=frozenset(created))
