"""City-scale synthetic registry for benchmarks: rows built in worker processes, loaded with COPY.

Every person's ID is sealed exactly as the ORM path does it (`Person.set_id_number`): SM4-GCM ciphertext
bound to the row's aad (`Person.aad("id_number")`, from a uid generated here), HMAC-SM3 blind index, masked
form and last four. One worker builds one county, with its own IdFactory, so IDs are unique across the
city (the county is the ID's area code) and do not collide with IDs already stored in that county.
"""
from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core import crypto, idnumbers
from demo import synthetic

MARKER = "城市规模合成数据（基准测试用）"
PERSON_AAD_PREFIX = "cases.person.id_number:"  # == Person(uid=u).aad("id_number") minus the uid; checked
DEMO_DIBAO_STANDARD = {"urban": Decimal("650"), "rural": Decimal("520")}  # demo values, as demo.households
TEKUN_RATIO = Decimal("1.3")
FLOOR = Decimal("30.00")
SINGLE_SHARE = 0.19
PERSONS_PER_HOUSEHOLD = 2.5

HOUSEHOLD_COLUMNS = ("id", "uid", "key_version", "address", "hukou_type", "head_name", "phone_cipher",
                     "phone_masked", "note", "created_at", "updated_at", "county_id", "created_by_id",
                     "township_id", "village_id")
PERSON_COLUMNS = ("uid", "key_version", "name", "id_cipher", "id_index", "id_masked", "id_last4", "sex",
                  "birth_date", "relationship", "disability_grade", "disability_type", "serious_illness",
                  "work_capacity", "employment", "school", "special_status", "deceased_on", "created_at",
                  "county_id", "household_id", "township_id", "village_id")
ENTITLEMENT_COLUMNS = ("category", "status", "persons_covered", "monthly_amount", "start_month", "end_month",
                       "next_recheck", "reason", "created_at", "updated_at", "county_id", "township_id",
                       "village_id", "household_id")


@dataclass
class CountyJob:
    county: str
    villages: list[tuple[str, str, str]]  # (village code, township code, short name)
    persons: int  # quota for the county
    entitled_share: float  # probability a household gets a paid entitlement
    first_household_id: int  # household ids are reserved from the sequence by the caller
    existing_ids: list[str]  # plaintext IDs already stored in this county (never reissued)
    seed: int
    now: str  # ISO timestamp for created_at
    key_version: int
    plaintext: bool = False  # benchmark comparison: store the ID in clear instead of sealing it


@dataclass
class CountyRows:
    county: str
    households: list[tuple]
    persons: list[tuple]
    entitlements: list[tuple]
    last_household_id: int


def seal_row_id(value: str, uid: uuid.UUID) -> tuple[bytes, str]:
    """(ciphertext, blind index) of a valid, normalised ID for the person row with this uid."""
    return crypto.encrypt(value, aad=f"{PERSON_AAD_PREFIX}{uid}"), idnumbers.index(value)


CHUNK_PERSONS = 100_000  # rows a worker holds at once (≈270 MB of Python objects per 100,000 persons)


def build_county(job: CountyJob) -> CountyRows:
    """The whole county in one piece (the SQLite path and tests); the COPY path streams `build_county_chunks`."""
    households, persons, entitlements, last = [], [], [], job.first_household_id - 1
    for rows in build_county_chunks(job):
        households += rows.households
        persons += rows.persons
        entitlements += rows.entitlements
        last = rows.last_household_id
    return CountyRows(job.county, households, persons, entitlements, last)


def build_county_chunks(job: CountyJob, chunk_persons: int = CHUNK_PERSONS):
    """The county's rows in pieces of about `chunk_persons` persons (whole households), one IdFactory for all.

    A worker keeps only the current piece and the set of IDs issued so far (≈ 100 bytes per person), so its
    memory no longer grows with the county: at 10,000,000 persons the largest county has ≈ 1.85 million.
    """
    rng = random.Random(job.seed)
    ids = synthetic.IdFactory(rng)
    ids.used.update(job.existing_ids)
    today = dt.date.fromisoformat(job.now[:10])
    households, persons, entitlements = [], [], []
    hid = job.first_household_id - 1
    count = made = 0
    villages = job.villages
    while count < job.persons:
        if len(persons) >= chunk_persons:
            yield CountyRows(job.county, households, persons, entitlements, hid)
            households, persons, entitlements = [], [], []
        village, township, short = villages[made % len(villages)]
        made += 1
        hh = synthetic.household(rng, ids, job.county, short, today)
        if len(hh.members) > 1 and rng.random() < SINGLE_SHARE:
            # Cities have more one-person households than the demo mix: keep ~2.5 persons per household.
            hh.members, hh.incomes = hh.members[:1], hh.incomes[:1]
        hid += 1
        count += len(hh.members)
        households.append((hid, uuid.uuid4(), job.key_version, hh.address, hh.hukou_type, hh.head_name, None, "",
                           MARKER, job.now, job.now, job.county, None, township, village))
        for p in hh.members:
            uid = uuid.uuid4()
            value = p.id_number
            if job.plaintext:
                cipher, index = None, value
            else:
                cipher, index = seal_row_id(value, uid)
            persons.append((uid, job.key_version, p.name, cipher, index, idnumbers.mask(value), value[-4:],
                            p.sex, p.birth, p.relationship, p.disability_grade, p.disability_type or "",
                            p.serious_illness, p.work_capacity, p.employment, p.school, "", None, job.now,
                            job.county, hid, township, village))
        if rng.random() < job.entitled_share:
            entitlements.append(_entitlement(rng, hh, hid, job, township, village))
    yield CountyRows(job.county, households, persons, entitlements, hid)


def _entitlement(rng, hh: synthetic.SynthHousehold, hid: int, job: CountyJob, township: str, village: str):
    members = len(hh.members)
    standard = DEMO_DIBAO_STANDARD[hh.hukou_type]
    alone = members == 1 and hh.members[0].work_capacity == "none"
    start = dt.date(rng.choice([2024, 2025, 2026]), rng.randint(1, 10), 1)
    recheck = dt.date(start.year + 1, start.month, 1)
    if alone and rng.random() < 0.55:
        category = "tekun_central" if rng.random() < 0.25 else "tekun_dispersed"
        amount = (standard * TEKUN_RATIO).quantize(Decimal("1"))
        covered = 1
    else:
        category = "dibao"
        income = sum((a - c for _, a, c in hh.incomes), Decimal("0"))
        per_capita = (income / 12 / members).quantize(Decimal("0.01"), ROUND_HALF_UP)
        gap = max(standard - per_capita, Decimal("0")) * members
        amount = max(gap, FLOOR).quantize(Decimal("0.01"))
        covered = members
    return (category, "active", covered, amount, start, None, recheck, "城市规模合成数据", job.now, job.now,
            job.county, township, village, hid)


# --- PostgreSQL COPY text format ------------------------------------------------------------------------

def _field(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bytes):
        return "\\\\x" + value.hex()
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        return value
    return str(value)


def copy_text(rows: list[tuple]) -> str:
    return "".join("\t".join(map(_field, row)) + "\n" for row in rows)


def _n(value) -> str:
    return r"\N" if value is None else str(value)


def _household_lines(rows) -> str:
    # Synthetic text (cases.synthetic vocabularies) never holds tabs, newlines or backslashes.
    return "".join(
        f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4]}\t{r[5]}\t\\N\t\t{r[8]}\t{r[9]}\t{r[10]}\t{r[11]}\t\\N\t"
        f"{r[13]}\t{r[14]}\n" for r in rows)


def _person_lines(rows) -> str:
    return "".join(
        f"{r[0]}\t{r[1]}\t{r[2]}\t{_bytea(r[3])}\t{r[4]}\t{r[5]}\t{r[6]}\t{r[7]}\t{r[8]}\t{r[9]}\t{_n(r[10])}\t"
        f"{r[11]}\t{r[12]}\t{r[13]}\t{r[14]}\t{r[15]}\t{r[16]}\t\\N\t{r[18]}\t{r[19]}\t{r[20]}\t{r[21]}\t{r[22]}\n"
        for r in rows)


def _bytea(value) -> str:
    return r"\N" if value is None else "\\\\x" + value.hex()


def copy_buffers(rows: CountyRows) -> tuple[str, int, int, int, int, str, str, str]:
    """The three COPY buffers of a piece, already formatted, with its counts."""
    return (rows.county, len(rows.households), len(rows.persons), len(rows.entitlements),
            rows.last_household_id, _household_lines(rows.households), _person_lines(rows.persons),
            copy_text(rows.entitlements))


def build_county_copy(job: CountyJob) -> tuple[str, int, int, int, int, str, str, str]:
    """The whole county's COPY buffers in one piece (small runs, the encryption-cost benchmark)."""
    return copy_buffers(build_county(job))


def stream_counties(jobs, results, chunk_persons: int = CHUNK_PERSONS) -> None:
    """Worker process of the COPY path: build the counties taken from `jobs` (None ends) piece by piece and put
    ("piece", buffers) on `results` — a bounded queue, so a worker waits while the loader is behind — then
    ("done", county); on failure ("error", county, traceback) and stop."""
    import traceback

    for job in iter(jobs.get, None):
        try:
            for rows in build_county_chunks(job, chunk_persons):
                results.put(("piece", copy_buffers(rows)))
            results.put(("done", job.county))
        except BaseException:  # noqa: BLE001 - reported to the parent, which raises
            results.put(("error", job.county, traceback.format_exc()))
            return
