"""家庭经济状况认定 for 低保: a pure function over plain data, easy to table-test.

`assess(AssessmentInput) -> Assessment`. No database access: `cases.dibao.assessment.assessment_input(household, on)`
builds the input from the registry (standard and params in force on the day).

Rules (DOMAIN.md §2, params in core/params.py):
- Members counted: everyone in the household except members serving a prison sentence, serving in the army,
  moved out by marriage or 分户, missing, long-term religious residents (special_status) and the deceased. Their income items are recorded but not counted.
- Income: 12-month totals by kind; exempt items are listed but not counted. Monthly = 12-month / 12.
- Employment cost (wages and business income): documented cost if recorded, else
  `employment_cost_rate` × income; capped per item at `employment_cost_cap_standards` × standard × 12.
- Rigid expenses (医疗/教育 self-paid, with evidence) are deducted when `rigid_expense_deductible`.
- Per-capita monthly income = max(0, counted income − deductions) / 12 / members counted, ROUND_HALF_UP 0.01.
- Property: deposits + securities + insurance per counted member ≤ `deposit_limit_months` × standard;
  vehicles: any single vehicle worth more than `vehicle_value_limit` disqualifies; houses: more than
  `house_limit` houses disqualify; a business entity disqualifies.
- Eligible when per-capita income < standard and property within limits.
- 单人户: in a 低保边缘 household (`is_edge`), a member with disability grade 1–2 (grade 3 for intellectual or
  mental disability) or a recognised serious illness may be admitted alone: covered = 1, income = that
  member's own income (after the same deductions), the household's property test still applies.
- Amount = (standard − per-capita income) × persons covered, at least `amount_floor`, ROUND_HALF_UP 0.01.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


ZERO = Decimal("0.00")


EXCLUDED_STATUS = {"prison": "服刑", "missing": "失踪", "religious": "长期宗教教职", "military": "参军服役",
                   "moved_out": "婚嫁、分户迁出", "died": "已死亡"}


EMPLOYMENT_KINDS = {"wages", "business"}


LIQUID_KINDS = {"deposit", "securities", "insurance"}


KIND_LABELS = {"wages": "工资性收入", "business": "经营净收入", "property": "财产净收入", "transfer": "转移净收入",
               "other": "其他收入"}


def _num(value: Decimal) -> str:
    """30.00 -> "30", 0.5 -> "0.5" (never scientific notation)."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    special_status: str = ""
    deceased: bool = False
    disability_grade: int | None = None
    disability_type: str = ""
    serious_illness: str = ""
    age: int = 40
    work_capacity: str = "full"
    employment: str = "none"


@dataclass(frozen=True)
class Income:
    kind: str
    amount_12m: Decimal
    person_id: int | None = None
    employment_cost: Decimal = ZERO
    exempt: bool = False
    description: str = ""


@dataclass(frozen=True)
class Property:
    kind: str
    value: Decimal
    quantity: int = 1
    description: str = ""


@dataclass(frozen=True)
class Expense:
    kind: str
    amount_12m: Decimal
    person_id: int | None = None


@dataclass(frozen=True)
class Rules:
    standard: Decimal
    employment_cost_rate: Decimal = Decimal("0.30")
    employment_cost_cap_standards: Decimal = Decimal("1")
    rigid_expense_deductible: bool = True
    amount_floor: Decimal = Decimal("30.00")
    deposit_limit_months: int = 24
    vehicle_value_limit: Decimal = Decimal("30000.00")
    house_limit: int = 1


@dataclass(frozen=True)
class AssessmentInput:
    rules: Rules
    members: list[Member]
    incomes: list[Income] = field(default_factory=list)
    properties: list[Property] = field(default_factory=list)
    expenses: list[Expense] = field(default_factory=list)
    is_edge: bool = False
    single_person_id: int | None = None


@dataclass
class Line:
    label: str
    amount: str = ""
    note: str = ""
    counted: bool = True


@dataclass
class Assessment:
    eligible: bool
    standard: Decimal
    members_total: int
    members_counted: int
    persons_covered: int
    income_counted_12m: Decimal
    deductions_12m: Decimal
    per_capita_monthly: Decimal
    monthly_amount: Decimal
    single_person_id: int | None
    unstable_income: bool
    lines: list[Line]
    reasons: list[str]

    def to_json(self) -> dict:
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, Decimal):
                data[key] = str(value)
        return data


def single_person_qualifies(member: Member) -> bool:
    """重度残疾人 (grade 1–2, or 3 for intellectual/mental) or 重病患者."""
    grade = member.disability_grade
    if grade in (1, 2):
        return True
    if grade == 3 and member.disability_type in ("intellectual", "mental"):
        return True
    return bool(member.serious_illness.strip())


def is_counted(member: Member) -> bool:
    return not member.deceased and member.special_status not in EXCLUDED_STATUS


def assess(data: AssessmentInput) -> Assessment:
    r = data.rules
    std = money(r.standard)
    lines: list[Line] = [Line("低保标准（元/人·月）", f"{std}")]
    reasons: list[str] = []
    counted_members = [m for m in data.members if is_counted(m)]
    for m in data.members:
        if m.deceased:
            lines.append(Line(f"成员 {m.name}", "", "已死亡，不计入家庭人口", counted=False))
        elif m.special_status in EXCLUDED_STATUS:
            lines.append(Line(f"成员 {m.name}", "", f"{EXCLUDED_STATUS[m.special_status]}，不计入家庭人口",
                              counted=False))
    counted_ids = {m.id for m in counted_members}
    lines.append(Line("家庭人口 / 计入人数", f"{len(data.members)} / {len(counted_members)}"))

    single = None
    if data.single_person_id is not None:
        single = next((m for m in counted_members if m.id == data.single_person_id), None)
        if single is None:
            reasons.append("单人户：所选成员不在计入的家庭成员中")
        elif not data.is_edge:
            reasons.append("单人户：仅限低保边缘家庭中的重度残疾人、重病患者")
            single = None
        elif not single_person_qualifies(single):
            reasons.append(f"单人户：{single.name}不属于一、二级残疾（智力、精神三级）或重病患者")
            single = None
        else:
            lines.append(Line("单人户", single.name, "低保边缘家庭中的重度残疾人/重病患者单独纳入"))

    in_unit = {single.id} if single else counted_ids
    income_total = ZERO
    deductions = ZERO
    cap_per_item = money(std * r.employment_cost_cap_standards * 12)
    for inc in data.incomes:
        amount = money(inc.amount_12m)
        label = f"{KIND_LABELS.get(inc.kind, inc.kind)}{('（' + inc.description + '）') if inc.description else ''}"
        if inc.exempt:
            lines.append(Line(label, f"{amount}", "按规定不计入家庭收入", counted=False))
            continue
        if inc.person_id is not None and inc.person_id not in in_unit:
            note = "该成员不计入家庭人口" if inc.person_id not in counted_ids else "单人户：不计入其他成员收入"
            lines.append(Line(label, f"{amount}", note, counted=False))
            continue
        if single and inc.person_id is None:
            lines.append(Line(label, f"{amount}", "单人户：家庭共有收入不计入", counted=False))
            continue
        income_total += amount
        lines.append(Line(label, f"+{amount}", "近12个月"))
        if inc.kind in EMPLOYMENT_KINDS:
            recorded = money(inc.employment_cost)
            cost = recorded if recorded > 0 else money(amount * r.employment_cost_rate)
            basis = "按凭证" if recorded > 0 else f"按收入的{_num(r.employment_cost_rate * 100)}%"
            if cost > cap_per_item:
                cost, basis = cap_per_item, f"{basis}，以{_num(r.employment_cost_cap_standards)}倍标准×12为限"
            cost = min(cost, amount)
            if cost > 0:
                deductions += cost
                lines.append(Line("　扣减就业成本", f"−{cost}", basis))
    if r.rigid_expense_deductible:
        for exp in data.expenses:
            if single and exp.person_id not in (None, single.id):
                continue
            amount = money(exp.amount_12m)
            if amount > 0:
                deductions += amount
                label = {"medical": "医疗", "education": "教育"}.get(exp.kind, "其他")
                lines.append(Line(f"扣减刚性支出（{label}）", f"−{amount}", "有佐证材料"))
    elif data.expenses:
        lines.append(Line("刚性支出", "", "现行参数不扣减", counted=False))

    net = max(ZERO, income_total - deductions)
    persons = 1 if single else len(counted_members)
    lines.append(Line("计入收入合计（12个月）", f"{money(income_total)}"))
    lines.append(Line("扣减合计（12个月）", f"−{money(deductions)}"))
    if persons == 0:
        reasons.append("没有可计入的家庭成员")
        per_capita = ZERO
    else:
        per_capita = money(net / 12 / persons)
        lines.append(Line("月人均收入", f"{per_capita}", f"{money(net)} ÷ 12 ÷ {persons}"))
    if per_capita >= std:
        reasons.append(f"月人均收入{per_capita}元不低于低保标准{std}元")

    # property
    divisor = max(len(counted_members), 1)
    liquid = money(sum((money(p.value) for p in data.properties if p.kind in LIQUID_KINDS), ZERO))
    liquid_limit = money(std * r.deposit_limit_months * divisor)
    if liquid:
        ok = liquid <= liquid_limit
        lines.append(Line("存款、有价证券、商业保险", f"{liquid}",
                          f"上限 {std}×{r.deposit_limit_months}×{divisor}人 = {liquid_limit}"
                          + ("" if ok else "，超过上限")))
        if not ok:
            reasons.append(f"家庭存款等金融资产{liquid}元超过上限{liquid_limit}元")
    vehicles = [p for p in data.properties if p.kind == "vehicle"]
    for v in vehicles:
        value = money(v.value)
        each = money(value / max(v.quantity, 1))
        ok = each <= r.vehicle_value_limit
        lines.append(Line(f"机动车辆{('（' + v.description + '）') if v.description else ''}", f"{value}",
                          f"单车上限 {money(r.vehicle_value_limit)}" + ("" if ok else "，超过上限")))
        if not ok:
            reasons.append(f"拥有价值超过{money(r.vehicle_value_limit)}元的机动车辆")
    houses = sum(p.quantity for p in data.properties if p.kind == "house")
    if houses:
        ok = houses <= r.house_limit
        lines.append(Line("自有住房", f"{houses}套", f"上限 {r.house_limit}套" + ("" if ok else "，超过上限")))
        if not ok:
            reasons.append(f"家庭拥有{houses}套住房，超过{r.house_limit}套")
    if any(p.kind == "business" for p in data.properties):
        lines.append(Line("经营实体", "有", "拥有经营实体不符合条件"))
        reasons.append("家庭拥有经营实体")

    eligible = not reasons
    amount = ZERO
    if eligible:
        gap = money((std - per_capita) * persons)
        floor = money(r.amount_floor)
        amount = max(gap, floor)
        lines.append(Line("月救助金额", f"{amount}",
                          f"({std} − {per_capita}) × {persons} = {gap}" + (f"，低于保底按{floor}" if gap < floor else "")))
    working_age = [m for m in counted_members if 16 <= m.age < 60 and m.work_capacity == "full"]
    unstable = any(m.employment in ("flexible", "unemployed", "farming", "none") for m in working_age)
    return Assessment(
        eligible=eligible, standard=std, members_total=len(data.members), members_counted=len(counted_members),
        persons_covered=persons if eligible else 0, income_counted_12m=money(income_total),
        deductions_12m=money(deductions), per_capita_monthly=per_capita, monthly_amount=amount,
        single_person_id=single.id if single else None, unstable_income=unstable, lines=lines, reasons=reasons,
    )
