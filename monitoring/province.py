"""Exchange with the provincial system (河南省社会救助管理系统, §1).

**Monthly change file** (`change_file(county, month)` → xlsx bytes), sheet 「变动名单」, one row per member of every
household whose enrolment in any category is new, changed or ended in the month, columns in this order:

| # | column | content |
|---|---|---|
| 1 | 变动类型 | 新增 (start month = the month) / 变更 (amount or category changed from the month, or a re-check adjusted
|   |         | it in the month) / 终止 (last month paid = the month, ended or phasing out) |
| 2 | 救助类别代码 | core.categories code (dibao, tekun_central, tekun_dispersed, dibao_edge, rigid_expense, monitor_…) |
| 3 | 救助类别 | its label |
| 4–6 | 县（市、区）代码 / 乡镇（街道）代码 / 村（社区）代码 | 6 / 9 / 12-digit division codes |
| 7 | 家庭编号 | this system's household id (stable) |
| 8 | 户主姓名 | |
| 9 | 成员姓名 | |
| 10 | 成员身份证号码 | full 18 characters, as text (the province matches on it; the export is audited) |
| 11 | 与户主关系 | |
| 12 | 保障人数 | persons covered by the enrolment |
| 13 | 月救助金额（元） | text with two decimals (0.00 for registry categories) |
| 14 | 起始月份 / 15 终止月份 | YYYY-MM |
| 16 | 变动原因 | the enrolment's reason |

A second sheet 「说明」 repeats this layout. Every cell is written as a string (no formulas from typed text).

**Province roster** comes back as a department file of source `province` (monitoring.sources) through the monthly
comparison: its rows (户主身份证号码, 救助类别, 月救助金额) are matched by ID; `reconcile` turns them into clues
to the townships — in the province and not here, here and not in the province, amounts that differ.
"""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q

from accounts.scope import Action, require
from cases.models import Entitlement, EntitlementChange, Person, Recheck
from core import audit, categories
from core.exports import xlsx_workbook
from core.months import add_months, first_of_month

HEADERS = ["变动类型", "救助类别代码", "救助类别", "县（市、区）代码", "乡镇（街道）代码", "村（社区）代码", "家庭编号",
           "户主姓名", "成员姓名", "成员身份证号码", "与户主关系", "保障人数", "月救助金额（元）", "起始月份", "终止月份",
           "变动原因"]
LAYOUT = [(h, d) for h, d in zip(HEADERS, [
    "新增 / 变更 / 终止", "本系统救助类别代码", "救助类别名称", "6位区划代码", "9位区划代码", "12位区划代码",
    "本系统家庭编号", "户主姓名", "家庭成员姓名（每名成员一行）", "18位公民身份号码（文本）", "与户主关系",
    "该类别保障人数", "两位小数；低保边缘等登记类别为0.00", "YYYY-MM", "YYYY-MM，未终止为空", "变动原因"], strict=True)]


def changes_in(county_code: str, month: dt.date) -> list[tuple[str, Entitlement]]:
    """(变动类型, entitlement) of the county's month: new, changed, ended."""
    month = first_of_month(month)
    base = Entitlement.objects.filter(county_id=county_code).select_related("household")
    new = list(base.filter(start_month=month))
    ended = list(base.filter(end_month=month, status__in=("ended", "phasing_out")))
    changed_ids = set(EntitlementChange.objects.filter(entitlement__county_id=county_code, effective_month=month,
                                                       cancelled=False).values_list("entitlement_id", flat=True))
    changed_ids |= set(Recheck.objects.filter(county_id=county_code, outcome="adjust", done_at__gte=month,
                                              done_at__lt=add_months(month, 1)).values_list("entitlement_id",
                                                                                           flat=True))
    seen = {e.pk for e in new} | {e.pk for e in ended}
    changed = list(base.filter(pk__in=changed_ids - seen))
    return [("新增", e) for e in new] + [("变更", e) for e in changed] + [("终止", e) for e in ended]


def _rows(county_code: str, month: dt.date):
    changes = changes_in(county_code, month)
    members: dict[int, list[Person]] = {}
    for p in Person.objects.filter(household_id__in={e.household_id for _, e in changes}).order_by("id"):
        members.setdefault(p.household_id, []).append(p)
    for kind, e in changes:
        for p in members.get(e.household_id, []):
            yield [kind, e.category, categories.label(e.category), e.county_id, e.township_id, e.village_id,
                   str(e.household_id), e.household.head_name, p.name, p.reveal_id_number(),
                   p.get_relationship_display(), str(e.persons_covered), f"{e.monthly_amount:.2f}",
                   f"{e.start_month:%Y-%m}", f"{e.end_month:%Y-%m}" if e.end_month else "", e.reason]


def change_file(*, actor, county, month: dt.date) -> tuple[bytes, int]:
    """The month's change file for one county (county officer; the city for any county). Audited."""
    require(actor, Action.SUPERVISION_CHANGE, refuse="只有县级民政部门可以生成报省变动名单")
    if not (county.code.startswith(actor.region_id) or actor.region.level == "city"):
        raise ValidationError("该县不在您的管辖范围内")
    buf = io.BytesIO()
    wb = xlsx_workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("变动名单")
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#F0F3F7"})
    text = wb.add_format({"num_format": "@"})
    ws.write_row(0, 0, HEADERS, head)
    ws.freeze_panes(1, 0)
    n = 0
    for n, row in enumerate(_rows(county.code, month), start=1):
        for col, value in enumerate(row):
            ws.write_string(n, col, str(value), text)
    info = wb.add_worksheet("说明")
    info.write_row(0, 0, ["列", "内容"], head)
    for i, (h, d) in enumerate(LAYOUT, start=1):
        info.write_string(i, 0, h)
        info.write_string(i, 1, d)
    info.write_string(len(LAYOUT) + 2, 0, f"{county.name}{month:%Y年%m月}低收入人口变动名单，共{n}行")
    wb.close()
    audit.record(actor=actor, action="province.change_file", object_type="cases.entitlement",
                 object_repr=f"{county.name}{month:%Y年%m月}报省变动名单 {n} 行", category=audit.Category.ACCESS,
                 after={"rows": n, "month": f"{month:%Y-%m}"}, region=(county.code, "", ""))
    return buf.getvalue(), n


# --- the province's roster → reconciliation --------------------------------------------------------------

_LABEL_TO_CODE = {label: code for code, label in categories.Category.choices}
_SHORT = {"低保": "dibao", "最低生活保障": "dibao", "特困": "tekun_dispersed", "集中供养": "tekun_central",
          "分散供养": "tekun_dispersed", "特困集中供养": "tekun_central", "特困分散供养": "tekun_dispersed",
          "低保边缘": "dibao_edge", "刚性支出困难": "rigid_expense", "防返贫监测": "monitor_edge"}


def category_code(text: str) -> str:
    value = (text or "").strip()
    if value in categories.LABELS:
        return value
    return _LABEL_TO_CODE.get(value) or _SHORT.get(value.replace("（", "").replace("）", ""), "") or _SHORT.get(value, "")


def absent_from_roster(county_code: str, matched_households: set[int]) -> list[tuple[Entitlement, Person | None]]:
    """Enrolments open here whose household the province's roster does not name (here and not there)."""
    ents = list(Entitlement.objects.open().filter(county_id=county_code)
                .exclude(household_id__in=matched_households).select_related("household"))
    heads = {p.household_id: p for p in Person.objects.filter(
        Q(household_id__in={e.household_id for e in ents}) & Q(relationship="head"))}
    return [(e, heads.get(e.household_id)) for e in ents]


__all__ = ["Decimal", "absent_from_roster", "category_code", "change_file", "changes_in"]
