"""低保边缘 and 刚性支出困难 tests (§1): pure functions over the 低保 means test's input, easy to table-test.

- 低保边缘 (`assess_edge`): not eligible for 低保 (the 低保 test fails on income alone), monthly per-capita
  income below `edge_ratio` × 低保标准 (param lowincome.edge_income_ratio, 1.5) and the property within the
  低保 limits. Every member counted is covered; no monthly amount (a registry category: price subsidy, 单人户,
  discovery clues and yearly review follow from it).
- 刚性支出困难 (`assess_rigid`): not eligible for 低保 nor 低保边缘; per-capita income (before deducting rigid
  expenses) below `income_ratio` × 低保标准 (param lowincome.rigid_income_ratio); medical and education rigid
  expenses of the last 12 months above `share` of the household's counted income (param
  lowincome.rigid_expense_share); property within the 低保 limits.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal

from cases.dibao import means_test
from cases.dibao.means_test import ZERO, AssessmentInput, money

INCOME_REASON = "月人均收入"  # the 低保 test's income reason starts so; every other reason is about property/members


@dataclass
class CategoryAssessment:
    kind: str
    eligible: bool
    persons_covered: int
    per_capita_monthly: Decimal
    lines: list[dict]
    reasons: list[str]
    monthly_amount: Decimal = ZERO
    unstable_income: bool = False
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"kind": self.kind, "eligible": self.eligible, "persons_covered": self.persons_covered,
                "monthly_amount": str(self.monthly_amount), "per_capita_monthly": str(self.per_capita_monthly),
                "reasons": self.reasons, "lines": self.lines, "unstable_income": self.unstable_income,
                "registry_only": True, **self.extra}


def _lines(base: means_test.Assessment) -> list[dict]:
    return [dataclasses.asdict(line) for line in base.lines if line.label != "月救助金额"]


def _non_income_reasons(base: means_test.Assessment) -> list[str]:
    return [r for r in base.reasons if not r.startswith(INCOME_REASON)]


def assess_edge(data: AssessmentInput, edge_ratio: Decimal) -> CategoryAssessment:
    base = means_test.assess(data)
    limit = money(base.standard * edge_ratio)
    lines = _lines(base)
    lines.append({"label": "低保边缘收入上限", "amount": str(limit),
                  "note": f"低保标准 {base.standard} × {means_test._num(edge_ratio)}", "counted": True})
    reasons = _non_income_reasons(base)
    if base.eligible:
        reasons.append("家庭符合低保条件，应按低保申请办理")
    elif base.per_capita_monthly >= limit:
        reasons.append(f"月人均收入{base.per_capita_monthly}元不低于低保边缘收入上限{limit}元")
    eligible = not reasons
    return CategoryAssessment(kind="dibao_edge", eligible=eligible,
                              persons_covered=base.members_counted if eligible else 0,
                              per_capita_monthly=base.per_capita_monthly, lines=lines, reasons=reasons,
                              unstable_income=base.unstable_income)


def assess_rigid(data: AssessmentInput, *, edge_ratio: Decimal, income_ratio: Decimal,
                 share: Decimal) -> CategoryAssessment:
    dibao = means_test.assess(data)
    gross = means_test.assess(dataclasses.replace(data, rules=dataclasses.replace(data.rules,
                                                                                rigid_expense_deductible=False)))
    lines = _lines(gross)
    reasons = _non_income_reasons(gross)
    edge_limit = money(gross.standard * edge_ratio)
    if dibao.eligible:
        reasons.append("家庭符合低保条件，应按低保申请办理")
    elif not reasons and gross.per_capita_monthly < edge_limit:
        reasons.append("家庭符合低保边缘条件，应按低保边缘认定")
    limit = money(gross.standard * income_ratio)
    lines.append({"label": "刚性支出困难收入上限", "amount": str(limit),
                  "note": f"低保标准 {gross.standard} × {means_test._num(income_ratio)}", "counted": True})
    if gross.per_capita_monthly >= limit:
        reasons.append(f"月人均收入{gross.per_capita_monthly}元不低于上限{limit}元")
    expenses = money(sum((money(e.amount_12m) for e in data.expenses if e.kind in ("medical", "education")), ZERO))
    income = gross.income_counted_12m
    ratio = (expenses / income) if income > 0 else None
    shown = "家庭无计入收入" if ratio is None else f"{(ratio * 100).quantize(Decimal('0.1'))}%"
    lines.append({"label": "近12个月医疗、教育刚性支出", "amount": str(expenses),
                  "note": f"占家庭收入{income}元的{shown}，须超过{means_test._num(share * 100)}%", "counted": True})
    if expenses <= 0:
        reasons.append("没有登记医疗、教育刚性支出")
    elif ratio is not None and ratio <= share:
        reasons.append(f"刚性支出占家庭收入比例{shown}未超过{means_test._num(share * 100)}%")
    eligible = not reasons
    return CategoryAssessment(kind="rigid_expense", eligible=eligible,
                              persons_covered=gross.members_counted if eligible else 0,
                              per_capita_monthly=gross.per_capita_monthly, lines=lines, reasons=reasons,
                              unstable_income=gross.unstable_income)


def assess_monitor(data: AssessmentInput, *, subcategory_label: str, source_label: str,
                   source_note: str) -> CategoryAssessment:
    """防返贫监测: identified by the 乡村振兴 department's criteria (the file or a referral with its source);
    the household's means are shown line by line for the record, they do not decide."""
    base = means_test.assess(data)
    lines = _lines(base)
    lines.append({"label": "监测类型", "amount": "", "note": subcategory_label, "counted": True})
    lines.append({"label": "来源", "amount": "", "note": f"{source_label} {source_note}".strip(), "counted": True})
    reasons = [] if subcategory_label else ["请选择防返贫监测类型"]
    return CategoryAssessment(kind="monitor", eligible=not reasons,
                              persons_covered=base.members_counted if not reasons else 0,
                              per_capita_monthly=base.per_capita_monthly, lines=lines, reasons=reasons,
                              unstable_income=base.unstable_income)
