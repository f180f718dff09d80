"""The comparison engine: validate + blind-index rows, stage them (COPY), match in SQL, apply the rule, write
clues in bulk. No query per input row. Called only from monitoring.services.run_execute.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import compress
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from cases.models import Entitlement, Person
from core import categories, idnumbers, idvector
from monitoring import province
from monitoring.models import RunIssue
from monitoring.places import PlaceResolver
from monitoring.sources import Source
from monitoring.staging import StageRef

PAID = frozenset(c.value for c in categories.PAID)  # plain codes: matched against the codes read from SQL
DIBAO_EDGE = categories.Category.DIBAO_EDGE.value


@dataclass(slots=True)
class Staged:
    row_no: int
    id_index: str
    name: str = ""
    event_date: dt.date | None = None
    amount: Decimal | None = None
    grade: int | None = None
    ref: str = ""
    detail: str = ""
    township: str = ""
    village: str = ""


@dataclass
class Validated:
    staged: list[tuple[int, str]]  # (row number, blind index) of every valid, first-seen row
    issues: list[tuple]  # (row number, kind, masked ID, message): ISSUE_FIELDS of RunIssue
    rows: object = None  # row number -> the raw row (RowsByNumber), for extracting facts of matched rows only
    extract: object = None
    id_pos: int = 0
    read: int = 0
    invalid: int = 0
    upgraded: int = 0
    duplicate: int = 0


# --- cell conversion -------------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%Y-%m", "%Y/%m", "%Y年%m月")


def to_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def to_date(value) -> dt.date | None:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and 20000 < value < 80000:  # an Excel serial day
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    text = to_text(value).split(" ")[0]
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def to_amount(value) -> Decimal | None:
    text = to_text(value).replace(",", "").replace("，", "").replace("元", "").replace("㎡", "").strip()
    if not text:
        return None
    try:
        amount = Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
    return amount if Decimal(0) <= amount < Decimal("1e12") else None


def to_grade(value) -> int | None:
    text = to_text(value)
    digits = {"一": 1, "二": 2, "三": 3, "四": 4}
    m = re.search(r"[1-4一二三四]", text)
    if not m:
        return None
    ch = m.group(0)
    return digits.get(ch) or int(ch)


_SPACES = re.compile(r"[\s\u3000'‘’`]+")


def id_value(raw, today: dt.date | None = None, *, normalize=None) -> tuple[str, str]:
    """(normalised 18-digit ID, note) or ValidationError with the Chinese reason. `normalize`: a bulk job's
    idnumbers.bulk_normalizer (same results as idnumbers.normalize)."""
    if normalize is None:
        normalize = idnumbers.bulk_normalizer(today=today)
    if isinstance(raw, str):
        text = raw if len(raw) == 18 and raw.isalnum() else raw.strip()
        if not text.isalnum():
            text = _SPACES.sub("", text)
    elif isinstance(raw, int) and not isinstance(raw, bool):
        text = str(raw)
    elif isinstance(raw, float):
        if raw.is_integer() and 1e14 <= raw < 1e15:
            text = str(int(raw))  # a 15-digit old number is exact in a float
        elif raw.is_integer() and raw >= 1e16:
            raise ValidationError(
                "身份证号码以数字格式保存，Excel 只保留15位有效数字，末几位已丢失。请把该列设为文本，从原始数据重新导出",
                code="excel_number")
        else:
            raise ValidationError("身份证号码被当成数字读入，无法识别，请把该列设为文本后重新导出", code="excel_number")
    else:
        text = _SPACES.sub("", str(raw or ""))
    if len(text) == 15 and text.isascii() and text.isdigit():
        value = normalize(idnumbers.upgrade_15(text))
        return value, f"15位旧身份证号码已按国家标准（插入“19”并计算校验位）换算为18位：{idnumbers.mask(value)}"
    return normalize(text), ""


def _mask_raw(raw) -> str:
    """What a refused ID looks like in the problem list: the area code, never enough to identify anyone."""
    text = to_text(raw)
    if len(text) >= 17:
        return f"{text[:6]}{'*' * (len(text) - 10)}{text[-4:]}"[:40]
    if len(text) >= 7:
        return f"{text[:6]}{'*' * (len(text) - 6)}"
    return "*" * len(text)


ISSUE_FIELDS = ["row_no", "kind", "id_masked", "message"]
INVALID, UPGRADED, DUPLICATE = RunIssue.Kind.INVALID.value, RunIssue.Kind.UPGRADED.value, RunIssue.Kind.DUPLICATE.value
UNREGISTERED = RunIssue.Kind.UNREGISTERED.value
UNREGISTERED_KEY = "unregistered:"  # fact_key prefix of a clue about a person not registered: + the ID's blind index


class RowsByNumber:
    """The file's rows by their row number in the file (`rows[no]`), padded to the columns the job reads, without
    a dict of 200,000 entries: row numbers are positions in the list of data rows."""
    __slots__ = ("rows", "first", "width")

    def __init__(self, rows: list[list], first: int, width: int):
        self.rows, self.first, self.width = rows, first, width

    def __getitem__(self, row_no: int) -> list:
        row = self.rows[row_no - self.first]
        return row if len(row) >= self.width else list(row) + [""] * (self.width - len(row))


BATCH_ROWS = 8192  # rows validated between two sends to the staging COPY


def validate(source: Source, rows: list[list], columns: dict[str, int], header_row: int,
             progress=None, on_staged=None) -> Validated:
    """Every row's ID validated (GB 11643, 15-digit upgrade) and blind-indexed; refused, upgraded and repeated
    rows become problem rows with their reason, in row order. The hot path of a 200,000-row file, in batches of
    BATCH_ROWS rows: the batch's ID column is checked in a few array operations (core.idvector: a clean
    18-character ID that idnumbers.normalize accepts as it stands); only the rest — spaces, 15 digits, numbers,
    blanks, refusals — goes row by row through id_value (idnumbers.normalize) for its value or its Chinese
    reason (`_OneByOne`). Repeats are found and the IDs blind-indexed per batch (`_Batch`).
    `on_staged(staged, start)`: called after every batch with the staged rows from `start` on (StagingStream.feed:
    the COPY runs while validation goes on)."""
    width = max(columns.values()) + 1
    first_row = header_row + 1
    out = Validated(staged=[], issues=[], rows=RowsByNumber(rows, first_row, width),
                    extract=fact_extractor(source, columns), id_pos=columns["id"])
    id_pos = columns["id"]
    today = timezone.localdate()
    one = _OneByOne(out.issues, today)
    batch = _Batch(out, on_staged)
    read = 0
    for start in range(0, len(rows), BATCH_ROWS):
        if progress and start:
            progress(start)
        part = rows[start:start + BATCH_ROWS]
        ids = [row[id_pos] if len(row) > id_pos else "" for row in part]
        keep, lower_x = idvector.accepted(ids, today)
        read += keep.count(True)
        for i in lower_x:
            ids[i] = ids[i][:17] + "X"
        base = first_row + start
        rest = [i for i, ok in enumerate(keep) if not ok]
        if rest:  # a clean ID with spaces around it: trimmed, as id_value would, and checked the same way
            trimmed = [(i, text) for i in rest if ids[i].__class__ is str and len(text := ids[i].strip()) == 18]
            again, lower_x = idvector.accepted([text for _, text in trimmed], today)
            for (i, text), ok in zip(trimmed, again, strict=True):
                if ok:
                    ids[i], keep[i] = text, True
            for j in lower_x:
                i = trimmed[j][0]
                ids[i] = ids[i][:17] + "X"
            read += again.count(True)
        for i in rest:
            if not keep[i]:
                value = ids[i] = one.check(base + i, ids[i], part[i])
                keep[i] = value is not None
        batch.add(list(compress(ids, keep)), list(compress(range(base, base + len(part)), keep)))
    if batch.repeated:  # a batch's repeats are found after its refusals: back to row order
        out.issues.sort(key=itemgetter(0))
    out.read, out.invalid, out.upgraded, out.duplicate = read + one.read, one.invalid, one.upgraded, batch.repeated
    return out


class _OneByOne:
    """A row core.idvector did not accept: its value from id_value (with the note of a 15-digit upgrade, or the
    same value trimmed or in upper case, no note), or None — refused (a problem row with the reason) or blank."""

    def __init__(self, issues: list, today: dt.date):
        self.issues = issues
        self.normalize = idnumbers.bulk_normalizer(today=today)
        self.read = self.invalid = self.upgraded = 0

    def check(self, row_no: int, raw, row: list) -> str | None:
        if (raw is None or raw == "") and not any(to_text(c) for c in row):
            return None  # blank lines inside the sheet are not data
        self.read += 1
        try:
            value, note = id_value(raw, normalize=self.normalize)
        except ValidationError as exc:
            self.invalid += 1
            self.issues.append((row_no, INVALID, _mask_raw(raw), exc.messages[0][:300]))
            exc.error_list = None  # a ValidationError lists itself (a cycle): let it be freed at once
            return None
        if note:
            self.upgraded += 1
            self.issues.append((row_no, UPGRADED, idnumbers.mask(value), note))
        return value


class _Batch:
    """A batch's valid IDs and their row numbers → repeats found, blind-indexed, staged, sent. Until the first repeat
    the IDs seen are a set: a batch adds its IDs and, if the set grew by as many, none was seen before (C-level
    passes, no dict). The first repeat turns it into a dict ID → first row (from the batches so far); from then on
    a batch with a repeat is walked row by row — the first row of an ID is staged, each later one becomes a
    problem row naming the first."""

    def __init__(self, out: Validated, on_staged):
        self.out, self.on_staged = out, on_staged
        self.seen: set[str] = set()
        self.values: list[str] = []  # every staged ID and its row, in order, while there is no repeat
        self.nos: list[int] = []
        self.first: dict[str, int] | None = None  # ID -> the row it was first seen in, after a repeat
        self.index = idnumbers.indexer()
        self.sent = self.repeated = 0

    def add(self, values: list[str], nos: list[int]) -> None:
        staged, first = self.out.staged, self.first
        if first is None:
            before = len(self.seen)
            self.seen.update(values)
            if len(self.seen) == before + len(values):
                self.values += values
                self.nos += nos
                staged.extend(zip(nos, map(self.index, values), strict=True))
                return self._send()
            first = self.first = dict(zip(self.values, self.nos, strict=True))
            self.seen = self.values = self.nos = None
        elif len(set(values)) == len(values) and first.keys().isdisjoint(values):
            first.update(zip(values, nos, strict=True))
            staged.extend(zip(nos, map(self.index, values), strict=True))
            return self._send()
        for value, row_no in zip(values, nos, strict=True):
            earlier = first.setdefault(value, row_no)
            if earlier != row_no:
                self.repeated += 1
                self.out.issues.append((row_no, DUPLICATE, idnumbers.mask(value),
                                        f"与第{earlier}行身份证号码重复，已按第{earlier}行比对"))
            else:
                staged.append((row_no, self.index(value)))
        self._send()

    def _send(self) -> None:
        if self.on_staged:
            self.on_staged(self.out.staged, self.sent)
            self.sent = len(self.out.staged)


def fact_extractor(source: Source, columns: dict[str, int]):
    """Turns a raw row into its Staged facts (dates, amounts, text); used for matched rows only."""
    name_pos = columns.get("name")
    kinds = {c.key: c.kind for c in source.columns}
    others = [(k, columns[k], kinds[k]) for k in kinds if k in columns]

    def extract(row_no: int, key: str, row: list) -> Staged:
        item = Staged(row_no=row_no, id_index=key, name=to_text(row[name_pos])[:100] if name_pos is not None else "")
        for col_key, pos, kind in others:
            cell = row[pos]
            if kind == "date":
                item.event_date = to_date(cell)
            elif kind == "money":
                item.amount = to_amount(cell)
            elif kind == "int":
                item.grade = to_grade(cell)
            else:
                setattr(item, col_key, to_text(cell)[:200 if col_key == "detail" else 100])
        return item

    return extract


# --- the one join (the rows staged by monitoring.staging) ---------------------------------------------

@dataclass
class Match:
    row_no: int
    event_date: dt.date | None
    amount: Decimal | None
    grade: int | None
    ref: str
    detail: str
    person_id: int
    household_id: int
    county_id: str
    township_id: str
    village_id: str
    deceased_on: dt.date | None
    recorded_grade: int | None
    person_name: str
    categories: frozenset = frozenset()
    entitlement_ids: tuple = ()
    amounts: dict = field(default_factory=dict)  # open category -> monthly amount (province reconciliation)


MATCH_SQL = """
SELECT s.row_no, s.id_index,
       p.id, p.household_id, p.county_id, p.township_id, p.village_id, p.deceased_on, p.disability_grade, p.name
FROM {staging} s JOIN {person} p ON p.id_index = s.id_index
{where}
"""

ENTITLEMENT_SQL = f"""
SELECT e.household_id, e.category, e.id, e.monthly_amount FROM {{entitlement}} e
WHERE {Entitlement.open_sql("e")} AND e.household_id IN ({{ids}})
"""


def match(ref: StageRef, checked: Validated) -> list[Match]:
    """The one join of staged rows against all registered persons, then the open entitlements of the matched
    households (by primary key, in chunks)."""
    names = {"staging": ref.table, "where": ref.where, "person": Person._meta.db_table,
             "entitlement": Entitlement._meta.db_table}
    ents: dict[int, list[tuple[str, int]]] = {}
    with connection.cursor() as cursor:
        if ref.probe:
            # jit off: at 10,000,000 persons the probe's estimated cost passes jit_inline/optimize_above_cost
            # (500,000) and PostgreSQL spent ≈0.5 s compiling a nested loop that runs one index probe per row.
            cursor.execute("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; "
                           "SET LOCAL min_parallel_table_scan_size = 0; SET LOCAL jit = off")
        cursor.execute(MATCH_SQL.format(**names), list(ref.params))
        rows = cursor.fetchall()
        if ref.probe:
            cursor.execute("RESET enable_hashjoin; RESET enable_mergejoin; RESET min_parallel_table_scan_size; "
                           "RESET jit")
        households = sorted({r[3] for r in rows})
        for start in range(0, len(households), 5000):
            chunk = households[start:start + 5000]
            cursor.execute(ENTITLEMENT_SQL.format(entitlement=names["entitlement"],
                                                  ids=", ".join(["%s"] * len(chunk))), chunk)
            for household_id, category, ent_id, amount in cursor.fetchall():
                ents.setdefault(household_id, []).append((category, ent_id, amount))
    out = []
    for r in rows:
        facts = checked.extract(r[0], r[1], checked.rows[r[0]])
        m = Match(facts.row_no, facts.event_date, facts.amount, facts.grade, facts.ref, facts.detail, *r[2:])
        m.deceased_on = _as_date(m.deceased_on)
        found = ents.get(m.household_id, [])
        m.categories = frozenset(c for c, _, _ in found)
        m.entitlement_ids = tuple(i for _, i, _ in found)
        m.amounts = {c: Decimal(str(a)).quantize(Decimal("0.01")) for c, _, a in found}
        out.append(m)
    return out


def _as_date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# --- the rules -----------------------------------------------------------------------------------------------

@dataclass
class Draft:
    kind: str
    fact_key: str
    summary: str


def _cats(m: Match) -> str:
    return "、".join(sorted({categories.label(c) for c in m.categories})) or "未在享"


def _date(d) -> str:
    return f"{d:%Y-%m-%d}" if d else "日期不详"


def rule(source: Source, m: Match, *, medical_threshold: Decimal) -> Draft | None:
    """What a matched row becomes (see monitoring.sources for the rules in words). None = no clue."""
    paid = bool(m.categories & PAID)
    code = source.code
    dept = source.label
    if source.clue_kind == "death":
        if m.deceased_on:
            return None  # already confirmed
        return Draft("death", "", f"{dept}：{m.person_name}已死亡（{_date(m.event_date)}）"
                     f"{'，' + m.detail if m.detail and m.detail != '死亡' else ''}；在享：{_cats(m)}")
    if code in ("hrss_employment", "hrss_pension"):
        if not paid:
            return None
        if code == "hrss_employment":
            return Draft("income", f"emp:{m.detail or m.ref}"[:100],
                         f"{dept}：{m.person_name}在{m.detail or '单位'}参保就业"
                         f"{f'，月缴费基数{m.amount}元' if m.amount is not None else ''}；在享：{_cats(m)}")
        return Draft("income", "pension", f"{dept}：{m.person_name}领取养老金"
                     f"{f'每月{m.amount}元' if m.amount is not None else ''}"
                     f"{'（' + m.detail + '）' if m.detail else ''}；在享：{_cats(m)}")
    if code == "housing":
        if not paid:
            return None
        return Draft("property", f"house:{m.detail or _date(m.event_date)}"[:100],
                     f"{dept}：{m.person_name}名下房产{m.detail}"
                     f"{f'，建筑面积{m.amount}平方米' if m.amount is not None else ''}，登记于{_date(m.event_date)}；"
                     f"在享：{_cats(m)}")
    if code == "company":
        if not paid:
            return None
        return Draft("property", f"company:{m.ref or m.detail}"[:100],
                     f"{dept}：{m.person_name}登记企业“{m.detail}”{m.ref}"
                     f"{f'，注册资本{m.amount}万元' if m.amount is not None else ''}；在享：{_cats(m)}")
    if code == "vehicle":
        if not paid or "残疾人" in m.detail:
            return None  # only persons in an open 低保/特困 household; 残疾人专用车 exempt
        return Draft("property", f"vehicle:{m.ref or m.detail}"[:100],
                     f"{dept}：{m.person_name}名下机动车{m.ref}（{m.detail or '类型不详'}），"
                     f"登记于{_date(m.event_date)}；在享：{_cats(m)}")
    if code == "medical":
        if DIBAO_EDGE not in m.categories or paid or m.amount is None or m.amount < medical_threshold:
            return None
        year = (m.event_date.year if m.event_date else "")
        return Draft("discovery", f"medical:{year}",
                     f"{dept}：低保边缘家庭成员{m.person_name}个人自付医疗费用{m.amount}元"
                     f"（≥{medical_threshold}元），可能符合低保或刚性支出困难救助，请上门了解并引导申请")
    if code == "disability":
        if m.grade not in (1, 2):
            return None
        if not paid:
            return Draft("discovery", f"disability:{m.ref or m.grade}"[:100],
                         f"{dept}：{m.person_name}新办{m.grade}级{m.detail}残疾人证（重度），家庭未享受低保/特困，"
                         f"请上门了解并引导申请")
        if m.recorded_grade == m.grade:
            return None
        return Draft("disability", f"disability:{m.ref or m.grade}"[:100],
                     f"{dept}：{m.person_name}持{m.grade}级{m.detail}残疾人证，家庭档案记载为"
                     f"{f'{m.recorded_grade}级' if m.recorded_grade else '无残疾'}，请核实并更新（影响分类施保）")
    if code == "education":
        if not paid:
            return None
        return Draft("change", f"school:{m.detail}{m.ref}"[:100],
                     f"{dept}：{m.person_name}在{m.detail or '学校'}就读{m.ref}，请核对家庭档案在校情况并衔接教育救助；"
                     f"在享：{_cats(m)}")
    if code in ("military", "prison"):
        if not m.categories:
            return None
        what = "参军服役" if code == "military" else "在监服刑"
        return Draft("change", f"{code}:{_date(m.event_date)}"[:100],
                     f"{dept}：{m.person_name}{what}（{m.detail or '详情不详'}{'，刑期' + m.ref if m.ref else ''}，"
                     f"{_date(m.event_date)}起），服役/服刑期间不计入家庭人口，请核实后更新成员情况并复核；"
                     f"在享：{_cats(m)}")
    if code == "disaster":
        return Draft("discovery", f"disaster:{_date(m.event_date)}"[:100],
                     f"{dept}：{m.person_name}家庭受灾（{m.detail or '灾害类型不详'}"
                     f"{f'，直接经济损失{m.amount}元' if m.amount is not None else ''}，{_date(m.event_date)}），"
                     f"请上门了解，符合条件的给予临时救助或引导申请低保、防返贫监测；在享：{_cats(m)}")
    if code == "province":
        return province_rule(m, dept)
    if code == "rural":
        if m.categories & (PAID | {DIBAO_EDGE}):
            return None
        return Draft("discovery", "rural",
                     f"{dept}：{m.person_name}家庭为防返贫监测户（{m.detail or '类型不详'}），尚未纳入低保、特困或"
                     f"低保边缘，请上门了解并引导申请")
    return None


def province_rule(m: Match, dept: str) -> Draft | None:
    """The province's roster row against this system: category not open here, or the amount differs."""
    code = province.category_code(m.detail)
    label = categories.label(code) if code else (m.detail or "类别不详")
    if not code or code not in m.categories:
        return Draft("change", f"province:{code or m.detail}:absent"[:100],
                     f"{dept}：{m.person_name}户在省系统为{label}，本系统未在保（在享：{_cats(m)}），请核实后"
                     f"补录或报省核减")
    here = m.amounts.get(code)
    if m.amount is not None and here is not None and m.amount != here:
        return Draft("change", f"province:{code}:amount:{m.amount}"[:100],
                     f"{dept}：{m.person_name}户{label}月救助金额省系统{m.amount}元，本系统{here}元，请核对")
    return None


def province_absent(source: Source, county: str, matches: list[Match]) -> list[tuple[Match, Draft]]:
    """Here and not in the province: households with an open enrolment in the county that no roster row names."""
    out = []
    for ent, head in province.absent_from_roster(county, {m.household_id for m in matches}):
        if head is None:
            continue
        m = Match(0, None, ent.monthly_amount, None, "", "", head.pk, ent.household_id, ent.county_id,
                  ent.township_id, ent.village_id, None, None, head.name, frozenset({ent.category}), (ent.pk,))
        out.append((m, Draft("change", f"province:{ent.category}:missing",
                             f"{source.department}：{head.name}户本系统在保{categories.label(ent.category)}"
                             f"（{ent.monthly_amount}元/月），省系统名单中没有，请核实后报省补录")))
    return out


# --- who is not registered at all (主动发现) -------------------------------------------------------------------

@dataclass
class Lead:
    """A person of a 残联 / 乡村振兴 file the system has never seen, placed in a village by the file's names."""
    row_no: int
    id_index: str
    name: str
    id_masked: str
    village: str  # village code
    summary: str
    event_date: dt.date | None


def unregistered(source: Source, checked: Validated, matches: list[Match], *,
                 county: str) -> tuple[list[Lead], list[tuple]]:
    """Rows of a 残联 file (severe, grade 1–2) or a 乡村振兴 file (监测对象) whose person is not registered here
    at all. Where the file's 乡镇/村 columns name a village of the county with certainty, the person becomes a
    主动发现 clue for that village's township (a Lead); otherwise a problem row of kind "missing" tells the
    county the row number, masked ID, name and fact so it can pass the person on (issue tuples)."""
    if source.code not in ("disability", "rural", "disaster", "province"):
        return [], []
    places = None
    matched = {m.row_no for m in matches}
    leads, issues = [], []
    for row_no, key in checked.staged:
        if row_no in matched:
            continue
        row = checked.rows[row_no]
        facts = checked.extract(row_no, key, row)
        if source.code == "disability" and facts.grade not in (1, 2):
            continue
        name = facts.name or "（无姓名）"
        if source.code == "disability":
            fact = f"{source.department}：{name}持{facts.grade}级{facts.detail}残疾人证（重度），本系统无此人登记"
        elif source.code == "province":
            fact = f"{source.department}：{name}户在省系统为{facts.detail or '救助对象'}，本系统无此人登记"
        elif source.code == "disaster":
            fact = f"{source.department}：{name}受灾（{facts.detail or '灾害类型不详'}），本系统无此人登记"
        else:
            fact = f"{source.department}：{name}为防返贫监测对象（{facts.detail or '类型不详'}），本系统无此人登记"
        masked = _mask_raw(row[checked.id_pos])
        village = None
        if facts.village:
            places = places or PlaceResolver(county)
            village = places.village(facts.township, facts.village)
        if village:
            leads.append(Lead(row_no, key, name, masked, village, (
                f"{fact}（{facts.township}{facts.village}，文件第{row_no}行）。请上门了解，符合条件的为其家庭建档并"
                f"引导申请低保、特困或临时救助")[:300], facts.event_date))
            continue
        where = f"文件所写“{facts.township}{facts.village}”在本县无法确定" if facts.village else "文件未写明乡镇和村"
        issues.append((row_no, UNREGISTERED, masked,
                       f"{fact}；{where}，请县级转所在乡镇（街道）入户了解，符合条件的引导申请"[:300]))
    return leads, issues
