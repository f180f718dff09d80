"""The step indicator of an application: where it is, what comes next, who acts, by when."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cases.dibao import sole_decider
from cases.dibao.models import Application

S = Application.Status
STEPS = ["受理", "入户调查与核对", "集体研究", "公示", "审核确认", "办结"]
POSITION = {S.ACCEPTED: 0, S.INVESTIGATING: 1, S.INVESTIGATED: 2, S.REVIEWED: 2, S.PUBLICITY: 3,
            S.AWAITING_DECISION: 4, S.CONFIRMED: 5, S.REFUSED: 5, S.WITHDRAWN: 5}
NEXT = {
    S.ACCEPTED: ("开始入户调查和家庭经济状况核对", "乡镇（街道）经办人"),
    S.INVESTIGATING: ("登记入户调查和核对结果", "乡镇（街道）经办人"),
    S.INVESTIGATED: ("提交联席会议集体研究（可先民主评议）", "乡镇（街道）经办人"),
    S.REVIEWED: ("提交联席会议集体研究", "乡镇（街道）经办人"),
    S.PUBLICITY: ("公示期满无异议后提交审核确认", "乡镇（街道）经办人"),
    S.AWAITING_DECISION: ("审核确认或不予确认", "乡镇（街道）审批人"),
}


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # done / current / todo


@dataclass(frozen=True)
class Indicator:
    steps: list[Step]
    next_action: str
    who: str
    due: dt.date | None
    due_label: str


def indicator(app: Application) -> Indicator:
    at = POSITION.get(app.status, 0)
    final = app.status in Application.FINAL
    steps = [Step(label if i < 5 or not final else app.get_status_display(),
                  "done" if i < at or (final and i == at) else "current" if i == at else "todo")
             for i, label in enumerate(STEPS)]
    if final:
        return Indicator(steps, "", "", None, "")
    action, who = NEXT.get(app.status, ("", ""))
    if app.status == S.AWAITING_DECISION and sole_decider.county_may_decide_anyone(app):
        who = "县民政局（本乡镇唯一审批人是受理人）"
    if app.status == S.PUBLICITY and app.publicity_end:
        return Indicator(steps, action, who, app.publicity_end, "公示截止")
    return Indicator(steps, action, who, app.deadline, "办结期限")
