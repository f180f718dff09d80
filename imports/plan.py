"""Validate a whole household file before anything is written; the result is a Plan (what would be created,
updated and skipped) and every problem of the file (sheet, row, column, masked value, reason in Chinese).

Per row: required cells, GB 11643 (the registry's own parser: Excel-mangled forms get their specific reason),
sex against the ID, choice columns through their aliases, disability grade, amounts as Decimal, start months.
Per household (rows sharing 户编号): one and only one head, the same village / address / hukou on every row,
one entitlement. Per file: the village inside the importer's region, an ID only once in the file.
Against the registry (blind index, in chunks): a member already registered in another household is a conflict,
never a silent move; a household whose members are all registered together is existing (skipped, or updated
in update mode, field by field).
"""
from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from cases.models import Household, Person
from core import idnumbers, pii, tabular, uploads
from core.categories import Category
from core.models import Region
from core.registry import collect
from imports import columns as C
from imports import lookup

SHEET_LIMITS = {"max_bytes": 60 * 1024 * 1024, "max_rows": 400_000, "max_columns": 60, "max_cell_chars": 500}
MAX_AMOUNT = Decimal("100000")
CHUNK = 5_000
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_DIGITS = re.compile(r"^\d+$")


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    value: str
    reason: str

    def as_list(self) -> list:
        return [self.sheet, self.row, self.column, self.value, self.reason]


@dataclass(slots=True)
class Member:
    row: int
    name: str
    id_value: str
    index: str
    relationship: str
    disability_type: str
    disability_grade: int | None
    serious_illness: str
    work_capacity: str


@dataclass(slots=True)
class HouseholdPlan:
    key: str
    first_row: int
    village: str = ""
    address: str = ""
    hukou_type: str = ""
    phone: str = ""
    members: list[Member] = field(default_factory=list)
    entitlement: tuple | None = None  # (category, amount, start_month, persons_covered)
    card: str = ""  # the payee card (social-security card or bank account), paid to the head
    bank: str = ""
    card_row: int = 0
    existing_id: int | None = None
    existing_village: str = ""
    action: str = "create"  # create | update | skip
    # update mode (a list once matched; the shared empty tuple until then: 100,000 households need no 2 lists each)
    changes: list | tuple = ()  # (row, field, before, after, person id or None)
    new_members: list[Member] | tuple = ()  # members added to an existing household
    card_changed: bool = False  # update mode: the file's card replaces the household's active card
    head_id: int | None = None  # the head's person id, once written (writer.create)


@dataclass
class Plan:
    sheet: str
    header_row: int
    rows_read: int = 0
    households: list[HouseholdPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for h in self.households if h.action == action)

    @property
    def persons_to_create(self) -> int:
        return sum(len(h.members) if h.action == "create" else len(h.new_members) for h in self.households)


def mask_value(key: str, value) -> str:
    text = "" if value is None else str(value).strip()
    if key == "id_number":
        return text[:6] + "*" * max(0, len(text) - 10) + text[-4:] if len(text) > 10 else "*" * len(text)
    if key == "phone":
        return text[:3] + "****" + text[-4:] if len(text) > 7 else "*" * len(text)
    if key == "card_number":
        return "*" * max(0, len(text) - 4) + text[-4:] if len(text) > 8 else "*" * len(text)
    return text[:40] + ("…" if len(text) > 40 else "")


def _text(value) -> str:
    if value.__class__ is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def read(data: bytes, name: str) -> tuple[tabular.Sheet, int, dict[str, int]]:
    """The first sheet, its header row (0-based) and columns; UploadRefused for a file that cannot be read or
    lacks a required column."""
    sheet = tabular.read(data, name=name, limits=uploads.default_limits(**SHEET_LIMITS)).first
    return (sheet, *header_of(sheet.rows))


def header_of(rows: list[list]) -> tuple[int, dict[str, int]]:
    found = tabular.find_header(rows, C.ALIASES)
    if found is None:
        raise uploads.UploadRefused(
            f"没有找到表头。请使用系统提供的导入模板；必填列为：{'、'.join(C.BY_KEY[k].label for k in C.REQUIRED)}；"
            f"文件的表头为：{tabular.describe_row(rows)}", code="wrong_columns")
    index, cols = found
    missing = [C.BY_KEY[k].label for k in C.REQUIRED if k not in cols]
    if missing:
        raise uploads.UploadRefused(f"表头缺少必需的列：{'、'.join(missing)}（表头在第{index + 1}行）",
                                    code="wrong_columns")
    return index, cols


def stream(data: bytes, name: str) -> tuple[str, int, dict[str, int], Iterator[list]]:
    """As `read`, without holding the sheet: its name, header row, columns and the rows after the header."""
    sheet_name, rows = tabular.stream(data, name=name, limits=uploads.default_limits(**SHEET_LIMITS))
    head = list(itertools.islice(rows, tabular.HEADER_SCAN_ROWS))
    header_index, cols = header_of(head)
    return sheet_name, header_index, cols, itertools.chain(head[header_index + 1:], rows)


def check_header(data: bytes, name: str) -> None:
    """At upload, in the web request: the gate and the header of the first rows."""
    rows = tabular.peek(data, name=name, limits=uploads.default_limits(**SHEET_LIMITS))
    if not any(any(_text(c) for c in row) for row in rows):
        raise uploads.UploadRefused("上传的文件没有任何内容", code="empty")
    header_of(rows)


class _Rows:
    """Row-level parsing with the problems collected (one closure per file, not per row)."""

    def __init__(self, sheet: str, plan: Plan):
        self.sheet, self.plan = sheet, plan
        self.normalize = idnumbers.bulk_normalizer()
        self.index = idnumbers.indexer()

    def problem(self, row: int, key: str, value, reason: str) -> None:
        self.plan.problems.append(Problem(self.sheet, row, C.BY_KEY[key].label, mask_value(key, value), reason))

    def choice(self, row: int, key: str, raw: str, *, required: bool = False, default: str = "") -> str | None:
        if not raw:
            if required:
                self.problem(row, key, raw, f"请填写{C.BY_KEY[key].label}")
                return None
            return default
        value = C.VALUE_ALIASES[key].get(raw.replace(" ", ""))
        if value is None:
            self.problem(row, key, raw, f"无法识别的{C.BY_KEY[key].label}“{raw[:20]}”，应为：{C.BY_KEY[key].note}")
        return value


def _month(raw) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date().replace(day=1)
    if isinstance(raw, dt.date):
        return raw.replace(day=1)
    if isinstance(raw, (int, float)) and 20000 < raw < 80000:  # an Excel date serial
        return (dt.date(1899, 12, 30) + dt.timedelta(days=int(raw))).replace(day=1)
    text = _text(raw).replace("年", "-").replace("月", "").replace("/", "-").replace(".", "-").rstrip("-")
    m = re.fullmatch(r"(\d{4})-?(\d{1,2})(?:-\d{1,2})?", text)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not (1990 <= year <= 2100 and 1 <= month <= 12):
        return None
    return dt.date(year, month, 1)


def _amount(raw) -> Decimal | None:
    text = _text(raw).replace(",", "").replace("元", "").replace("¥", "")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite():
        return None
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _card(p: _Rows, row: int, raw, text: str) -> str:
    """A card number as funds stores it (digits only), or "" with the problem recorded."""
    if "E+" in text.upper():
        p.problem(row, "card_number", text, "卡号被 Excel 转成了科学计数法（如 6.22E+18），后几位已丢失："
                                            "请把该列设为文本后重新填写")
        return ""
    if not isinstance(raw, str) and len(text) > 15:
        p.problem(row, "card_number", text, "卡号被 Excel 存成了数字，超过15位的部分已丢失：请把该列设为文本后重新填写")
        return ""
    try:
        return pii.normalize_card(text)
    except ValidationError as exc:
        p.problem(row, "card_number", text, exc.messages[0])
        return ""


# the columns parse_rows reads, in the order it unpacks them (a row is read by position, no dict per row)
_ROW_KEYS = ("household_key", "township", "village", "address", "hukou_type", "name", "id_number", "relationship",
             "sex", "disability_type", "disability_grade", "serious_illness", "work_capacity", "phone", "category",
             "monthly_amount", "start_month", "persons_covered", "card_number", "bank_name")
_ID, _AMOUNT, _START, _CARD = (_ROW_KEYS.index(k) for k in ("id_number", "monthly_amount", "start_month", "card_number"))
assert set(_ROW_KEYS) == set(C.BY_KEY), "parse_rows must read every column of the template"


def parse_rows(sheet: tabular.Sheet | str, header_index: int, cols: dict[str, int], *, rows=None, today=None) -> Plan:
    """Every row parsed and checked on its own, grouped into households (no database access). `sheet` is a read
    Sheet, or a sheet's name with `rows` the rows after its header (streamed: see `stream`)."""
    name = sheet if isinstance(sheet, str) else sheet.name
    if rows is None:
        rows = sheet.rows[header_index + 1:]
    plan = Plan(sheet=name, header_row=header_index + 1)
    p = _Rows(name, plan)
    households: dict[str, HouseholdPlan] = {}
    seen_ids: dict[str, int] = {}
    seen_cards: dict[str, tuple[int, str]] = {}
    entitlement_rows: dict[str, list] = {}
    positions = [cols.get(key) for key in _ROW_KEYS]
    width = max(i for i in positions if i is not None) + 1
    pad = [None] * width
    today = today or dt.date.today()
    aliases = C.VALUE_ALIASES
    rel_aliases, sex_aliases, dtype_aliases = aliases["relationship"], aliases["sex"], aliases["disability_type"]
    work_aliases, hukou_aliases = aliases["work_capacity"], aliases["hukou_type"]
    problems, normalize, index = plan.problems, p.normalize, p.index
    same = {}.setdefault  # one object for texts many rows repeat (villages, banks, amounts, months): memory
    # A CSV's cells are all text: while every row so far had all its cells as text, a row is picked in one call and
    # stripped in one map (≈ 2 µs a row less than cell by cell); the first row with another cell (an xlsx's numbers,
    # dates and empty cells) turns that off for the rest of the file.
    pick = operator.itemgetter(*positions) if None not in positions else None
    strip = str.strip
    for row, raw_row in enumerate(rows, start=header_index + 2):
        if len(raw_row) < width:
            raw_row = list(raw_row) + pad[len(raw_row):]
        if pick is not None:
            values = pick(raw_row)
            try:
                texts = [*map(strip, values)]
            except TypeError:
                pick = None
        if pick is None:
            values = [raw_row[i] if i is not None else None for i in positions]  # by position: no dict per cell
            texts = [v.strip() if v.__class__ is str else _text(v) for v in values]
        if not any(texts):
            continue
        (key, _township, village, address, t_hukou, name, t_id, t_rel, t_sex, t_dtype, t_grade, illness, t_work,
         t_phone, t_category, t_amount, t_start, t_covered, t_card, bank) = texts
        plan.rows_read += 1
        before = len(problems)
        if not key:
            p.problem(row, "household_key", "", "请填写户编号（同一户的成员填写相同的户编号）")
        if not name:
            p.problem(row, "name", "", "请填写姓名")
        elif len(name) > 50 or _BAD_NAME.search(name):
            p.problem(row, "name", name, "姓名过长或含有不可见字符、控制字符，请核对")
        ident = None
        try:
            raw_id = values[_ID]
            value = normalize(raw_id if isinstance(raw_id, (str, float)) else t_id)
            ident = value
        except ValidationError as exc:
            p.problem(row, "id_number", t_id, exc.messages[0])
        if ident:
            if ident in seen_ids:
                p.problem(row, "id_number", ident, f"与第{seen_ids[ident]}行的身份证号码重复（同一人只能登记一次）")
                ident = None
            else:
                seen_ids[ident] = row
        # choice columns: the exact spelling looked up first, anything else (spaces, unknown, empty) by p.choice
        relationship = ((rel_aliases.get(t_rel) or p.choice(row, "relationship", t_rel)) if t_rel
                        else p.choice(row, "relationship", t_rel, required=True))
        sex = (sex_aliases.get(t_sex) or p.choice(row, "sex", t_sex)) if t_sex else ""
        if ident and sex and sex != ("M" if int(ident[16]) % 2 else "F"):
            p.problem(row, "sex", t_sex, "性别与身份证号码不符（身份证号码第17位奇数为男、偶数为女）")
        disability_type = (dtype_aliases.get(t_dtype) or p.choice(row, "disability_type", t_dtype)) if t_dtype else ""
        grade = None
        if t_grade:
            grade = C.GRADES.get(t_grade.replace(" ", ""))
            if grade is None:
                p.problem(row, "disability_grade", t_grade, "残疾等级应为1—4级")
            elif not disability_type:
                p.problem(row, "disability_type", "", "填写了残疾等级，请同时填写残疾类别")
        if len(illness) > 100:
            p.problem(row, "serious_illness", illness, "重特大疾病不能超过100个字")
        work = ((work_aliases.get(t_work) or p.choice(row, "work_capacity", t_work)) if t_work
                else Person.WorkCapacity.FULL)
        if not address:
            p.problem(row, "address", "", f"请填写{C.BY_KEY['address'].label}")
        elif len(address) > 200:
            p.problem(row, "address", address, "家庭住址不能超过200个字")
        if not village:
            p.problem(row, "village", "", "请填写村（社区）名称或区划代码")
        hukou = ((hukou_aliases.get(t_hukou) or p.choice(row, "hukou_type", t_hukou)) if t_hukou
                 else p.choice(row, "hukou_type", t_hukou, required=True))
        phone = ""
        if t_phone:
            try:
                phone = pii.normalize_phone(t_phone)
            except ValidationError as exc:
                p.problem(row, "phone", t_phone, exc.messages[0])
        card = ""
        if t_card:
            card = _card(p, row, values[_CARD], t_card)
            if not bank:
                p.problem(row, "bank_name", "", "填写了社保卡号/银行账号，请同时填写开户银行")
        elif bank:
            p.problem(row, "card_number", "", "填写了开户银行，请同时填写社保卡号/银行账号")
        if len(bank) > 60:
            p.problem(row, "bank_name", bank, "开户银行不能超过60个字")
            bank = ""
        if card and key:
            first = seen_cards.setdefault(card, (row, key))
            if first[1] != key:
                p.problem(row, "card_number", card, f"与第{first[0]}行（户编号 {first[1]}）的卡号相同：一张卡只能发放给一户")
                card = ""
        if t_category or t_amount or t_start or t_covered:
            # only its own cells (60 % of a caseload has one), each text held once for the whole file; a text
            # cell is its stripped text (what _amount and _month read of it)
            amount_cell, start_cell = values[_AMOUNT], values[_START]
            t_category, t_amount, t_start, t_covered = (same(t_category, t_category), same(t_amount, t_amount),
                                                        same(t_start, t_start), same(t_covered, t_covered))
            entitlement_rows.setdefault(key, []).append(
                (row, t_amount if amount_cell.__class__ is str else amount_cell,
                 t_start if start_cell.__class__ is str else start_cell, (t_category, t_amount, t_start, t_covered)))
        if not key:
            continue
        household = households.get(key)
        if household is None:
            household = households[key] = HouseholdPlan(key=key, first_row=row)
        # the household's columns: the first row that fills one sets it, a later different value is a problem
        if village:
            if not household.village:
                household.village = same(village, village)  # a few hundred villages: one text each
            elif household.village != village:
                p.problem(row, "village", village, f"同一户（户编号 {key}）各行的{C.BY_KEY['village'].label}不一致，请统一填写")
        if address:
            if not household.address:
                household.address = address
            elif household.address != address:
                p.problem(row, "address", address, f"同一户（户编号 {key}）各行的{C.BY_KEY['address'].label}不一致，请统一填写")
        if hukou:
            if not household.hukou_type:
                household.hukou_type = hukou
            elif household.hukou_type != hukou:
                p.problem(row, "hukou_type", hukou,
                          f"同一户（户编号 {key}）各行的{C.BY_KEY['hukou_type'].label}不一致，请统一填写")
        if phone and not household.phone:
            household.phone = phone
        if card and bank:
            if not household.card:
                household.card, household.bank, household.card_row = card, same(bank, bank), row
            elif (household.card, household.bank) != (card, bank):
                p.problem(row, "card_number", card, f"同一户（户编号 {key}）各行的社保卡号/银行账号或开户银行不一致，"
                                                    f"请只在户主一行填写（第{household.card_row}行已填写）")
        if len(problems) == before and ident:
            household.members.append(Member(row, name, ident, index(ident), relationship, disability_type or "",
                                            grade, illness, work or Person.WorkCapacity.FULL))
        elif ident:
            household.members.append(Member(row, name, ident, "", relationship or "", "", None, "", ""))
    for key, household in households.items():
        heads = [m for m in household.members if m.relationship == Person.Relationship.HEAD]
        if not heads and household.members:
            p.problem(household.first_row, "relationship", "", f"户编号 {key} 的家庭没有户主（须有且只有一名户主）")
        for extra in heads[1:]:
            p.problem(extra.row, "relationship", "户主", f"户编号 {key} 的家庭有多名户主（第{heads[0].row}行已是户主）")
        found = _entitlement(p, key, entitlement_rows.pop(key, ()), len(household.members), today)
        household.entitlement = same(found, found) if found else None  # equal entitlements: one tuple
    plan.households = list(households.values())
    return plan


def _entitlement(p: _Rows, key: str, rows: list, members: int, today: dt.date) -> tuple | None:
    if not rows:
        return None
    found = None
    for row, amount_cell, start_cell, texts in rows:
        text = dict(zip(C.ENTITLEMENT_FIELDS, texts, strict=True))
        cell = {"monthly_amount": amount_cell, "start_month": start_cell}
        category = p.choice(row, "category", text["category"], required=True)
        amount = _amount(cell["monthly_amount"]) if text["monthly_amount"] else None
        if not text["monthly_amount"]:
            p.problem(row, "monthly_amount", "", "填写了救助类别，请同时填写月救助金额")
        elif amount is None or amount < 0 or amount > MAX_AMOUNT:
            p.problem(row, "monthly_amount", text["monthly_amount"], "月救助金额应为0至100000之间的金额（元，两位小数）")
            amount = None
        start = _month(cell["start_month"]) if text["start_month"] else None
        if not text["start_month"]:
            p.problem(row, "start_month", "", "填写了救助类别，请同时填写起始月份（如 2025-01）")
        elif start is None or start > today:
            p.problem(row, "start_month", text["start_month"], "起始月份应为不晚于本月的年月，如 2025-01")
            start = None
        covered = members
        if text["persons_covered"]:
            if not _DIGITS.match(text["persons_covered"]) or not 1 <= int(text["persons_covered"]) <= 30:
                p.problem(row, "persons_covered", text["persons_covered"], "保障人数应为1至30之间的整数")
            else:
                covered = int(text["persons_covered"])
        if category in (Category.TEKUN_CENTRAL, Category.TEKUN_DISPERSED) and covered != 1 and text["persons_covered"]:
            p.problem(row, "persons_covered", text["persons_covered"], "特困供养按人认定，保障人数应为1")
        value = (category, amount, start, covered)
        if None in value:
            continue
        if found is not None and found[1] != value:
            p.problem(row, "category", text["category"], f"同一户（户编号 {key}）填写了不同的救助待遇（第{found[0]}行）")
            continue
        found = (row, value)
    return found[1] if found else None


# --- regions and the registry --------------------------------------------------------------------------

def resolve_regions(plan: Plan, *, scope: Region) -> None:
    """Each household's village (code or name) inside the importer's region `scope`."""
    villages = list(Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=scope.code)
                    .values_list("code", "name", "parent_id"))
    township_names = dict(Region.objects.filter(level=Region.Level.TOWNSHIP, code__startswith=scope.code[:9])
                          .values_list("code", "name"))
    by_name: dict[str, list[str]] = {}
    for code, name, _parent in villages:
        short = Region(code=code, name=name).short_name
        for n in {name, short}:
            by_name.setdefault(n, []).append(code)
    codes = {code for code, _, _ in villages}
    elsewhere: set[str] | None = None  # every village name of the city, loaded once if a name is not in scope
    p = _Rows(plan.sheet, plan)
    for household in plan.households:
        raw = household.village
        if not raw:
            continue
        if raw.isascii() and raw.isdigit() and len(raw) == 12:
            if raw in codes:
                continue
            reason = ("该村（社区）不在您的管辖范围内，不能导入" if Region.objects.filter(code=raw).exists()
                      else "找不到该区划代码对应的村（社区）")
            p.problem(household.first_row, "village", raw, reason)
            household.village = ""
            continue
        found = by_name.get(raw, [])
        if len(found) > 1:
            p.problem(household.first_row, "village", raw,
                      "本辖区内有多个同名的村（社区）：" + "、".join(township_names.get(c[:9], c[:9]) for c in found)
                      + "，请填写12位区划代码")
            household.village = ""
        elif found:
            household.village = found[0]
        else:
            if elsewhere is None:
                elsewhere = {n for name in Region.objects.filter(level=Region.Level.VILLAGE).values_list("name", flat=True)
                             for n in (name, Region(name=name).short_name)}
            p.problem(household.first_row, "village", raw, "该村（社区）不在您的管辖范围内，不能导入" if raw in elsewhere
                      else "找不到该村（社区），请核对名称或填写12位区划代码")
            household.village = ""


def match_registry(plan: Plan, *, scope: Region, update: bool) -> None:
    """Existing households and conflicts, by the blind index of every member (in chunks).

    A file household whose head is registered is the head's registered household (when in scope): skipped, or
    in update mode changed field by field, its card replaced and its members not registered anywhere added
    (新增成员; in create mode they are an error). A member registered in any other household — or any registered
    member of a household whose head is new — is a conflict, never a silent move."""
    known = lookup.registered([m.index for h in plan.households for m in h.members if m.index])
    if not known:
        return
    household_ids = {v["household_id"] for v in known.values()}
    existing = {h["id"]: h for h in Household.objects.filter(id__in=household_ids)
                .values("id", "address", "hukou_type", "village_id", "head_name")}
    p = _Rows(plan.sheet, plan)
    matched: list[HouseholdPlan] = []
    for household in plan.households:
        hits = [(m, known[m.index]) for m in household.members if m.index in known]
        if not hits:
            continue
        head = next((m for m in household.members if m.relationship == Person.Relationship.HEAD), None)
        anchor = known.get(head.index) if head and head.index else (None if head else hits[0][1])
        registered = existing[anchor["household_id"]] if anchor else None
        if registered is None or not registered["village_id"].startswith(scope.code):
            for m, v in hits:  # a new household (its head is not registered) cannot take in registered people
                p.problem(m.row, "id_number", m.id_value, _conflict(v, existing, scope))
            continue
        elsewhere = [(m, v) for m, v in hits if v["household_id"] != registered["id"]]
        for m, v in elsewhere:
            p.problem(m.row, "id_number", m.id_value, _conflict(v, existing, scope))
        if elsewhere:
            continue
        new = [m for m in household.members if m.index and m.index not in known]
        if new and not update:
            for m in new:
                p.problem(m.row, "id_number", m.id_value, "户主已在系统中登记，本成员却不在该户：新增家庭成员"
                                                          "请选择“更新”方式导入，或在系统中逐户办理")
            continue
        household.existing_id, household.existing_village = registered["id"], registered["village_id"]
        household.action = "skip"
        if update:
            household.new_members = new
            household.changes = _changes(household, registered, hits)
            matched.append(household)
    if not matched:
        return
    hook = payee_hook() if any(h.card for h in matched) else None
    cards = hook["current"](h.existing_id for h in matched if h.card) if hook else {}
    for household in matched:
        for m in household.new_members:
            household.changes.append((m.row, "member", "", f"{m.name}（{_relationship_label(m.relationship)}）", None))
        if household.card:
            before = cards.get(household.existing_id)
            if before is None or before[0] != pii.index("card", household.card) or before[1] != household.bank:
                household.card_changed = True
                household.changes.append((household.card_row, "card_number",
                                          f"{before[1]} {before[2]}" if before else "",
                                          f"{household.bank} {pii.mask_card(household.card)}", None))
        if household.changes:
            household.action = "update"


def payee_hook() -> dict | None:
    """funds' card store (funds/household_import.py), found through the registry: imports never imports funds."""
    found = collect("household_import", "PAYEES")
    return found[0] if found else None


def _relationship_label(value: str) -> str:
    return dict(Person.Relationship.choices).get(value, value)


def _conflict(person: dict, existing: dict, scope: Region) -> str:
    household = existing.get(person["household_id"], {})
    if not str(household.get("village_id", "")).startswith(scope.code):
        return "该身份证号码已在其他地区的家庭中登记，不能导入，请与县级民政部门核实"
    return (f"该身份证号码已登记在另一户（户主{household.get('head_name', '')}，家庭编号 {person['household_id']}）"
            "中，不能自动转户；如确需转户请在系统中办理")


def _changes(household: HouseholdPlan, registered: dict, hits: list) -> list:
    out = []
    for f in C.UPDATABLE_HOUSEHOLD:
        new = getattr(household, f)
        if new and new != registered[f]:
            out.append((household.first_row, f, registered[f], new, None))
    for m, v in hits:
        for f in C.UPDATABLE_PERSON:
            new = getattr(m, f)
            old = v[f] if v[f] is not None else ("" if f != "disability_grade" else None)
            if f in ("disability_type", "disability_grade", "serious_illness") or new:
                if new != old:
                    out.append((m.row, f, old, new, v["id"]))
    return out


def build(data: bytes, name: str, *, scope: Region, update: bool = False, today=None) -> Plan:
    sheet_name, header_index, cols, rows = stream(data, name)
    plan = parse_rows(sheet_name, header_index, cols, rows=rows, today=today)
    if plan.rows_read == 0:
        raise uploads.UploadRefused("文件只有表头，没有数据行", code="empty")
    resolve_regions(plan, scope=scope)
    match_registry(plan, scope=scope, update=update)
    plan.problems.sort(key=lambda pr: (pr.row, pr.column))
    return plan
