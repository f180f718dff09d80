"""Re-check cycles per category (§1, §2): how many months until an entitlement is re-checked again."""
from __future__ import annotations

import datetime as dt

from core import categories, params

C = categories.Category
_CATEGORY_PARAM = {
    C.TEKUN_CENTRAL: "tekun.recheck_months",
    C.TEKUN_DISPERSED: "tekun.recheck_months",
    C.DIBAO_EDGE: "lowincome.recheck_months_edge",
    C.RIGID_EXPENSE: "lowincome.recheck_months_rigid",
    C.MONITOR_UNSTABLE: "lowincome.recheck_months_monitor",
    C.MONITOR_EDGE: "lowincome.recheck_months_monitor",
    C.MONITOR_SUDDEN: "lowincome.recheck_months_monitor",
}


def recheck_months(category: str, on: dt.date, *, unstable: bool = False) -> int:
    """低保: every 6 months with unstable income, else yearly (params); every other category its own param."""
    if category == C.DIBAO:
        return params.get("dibao.recheck_months_unstable" if unstable else "dibao.recheck_months_stable", on)
    return params.get(_CATEGORY_PARAM.get(category, "dibao.recheck_months_stable"), on)
