"""Time limits of the application procedure: 25 (extended: 40) working days from acceptance, per kind."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from cases.dibao.models import Application
from core import params, workdays

KIND_PARAM_PREFIX = {"dibao": "dibao", "tekun": "tekun", "temporary_aid": "temp_aid", "dibao_edge": "lowincome",
                     "rigid_expense": "lowincome", "monitor": "lowincome"}


def kind_param(kind: str, name: str, on: dt.date | None = None):
    """`<kind prefix>.<name>` when that parameter exists, else `dibao.<name>`."""
    key = f"{KIND_PARAM_PREFIX.get(kind, kind)}.{name}"
    return params.get(key if key in params.REGISTRY else f"dibao.{name}", on)


def compute_deadline(accepted_on: dt.date, *, extended: bool = False, kind: str = "dibao") -> dt.date:
    name = "process_workdays_extended" if extended else "process_workdays"
    return workdays.add_workdays(accepted_on, kind_param(kind, name, accepted_on))


@dataclass(frozen=True)
class DeadlineInfo:
    deadline: dt.date
    state: str  # overdue / near / ok / done
    workdays_left: int
    warnings: list

    @property
    def label(self) -> str:
        if self.state == "done":
            return "已办结"
        if self.state == "overdue":
            return "已超期"
        return f"剩{self.workdays_left}个工作日"


def deadline_info(application: Application, today: dt.date | None = None) -> DeadlineInfo:
    today = today or timezone.localdate()
    warnings = workdays.warnings_for(application.deadline)
    if application.is_final:
        return DeadlineInfo(application.deadline, "done", 0, [])
    if today > application.deadline:
        return DeadlineInfo(application.deadline, "overdue", 0, warnings)
    left = workdays.workdays_between(today, application.deadline)
    near = left <= params.get("dibao.nearly_due_workdays", today)
    return DeadlineInfo(application.deadline, "near" if near else "ok", left, warnings)


def deadline_infos(applications, today: dt.date | None = None) -> list[DeadlineInfo]:
    """deadline_info of a page of applications with one read of the calendar (a list page read it once per row:
    two queries per open application). Same states, days left and warnings."""
    today = today or timezone.localdate()
    apps = list(applications)
    ahead = [a.deadline for a in apps if not a.is_final and a.deadline >= today]
    cal = workdays.Calendar(today, max(ahead)) if ahead else None
    known = {year: workdays.year_known(year) for year in {a.deadline.year for a in apps}}
    near_days = params.get("dibao.nearly_due_workdays", today) if ahead else 0
    out = []
    for a in apps:
        warnings = [] if known[a.deadline.year] else [workdays.year_warning(a.deadline.year)]
        if a.is_final:
            out.append(DeadlineInfo(a.deadline, "done", 0, []))
        elif today > a.deadline:
            out.append(DeadlineInfo(a.deadline, "overdue", 0, warnings))
        else:
            left = cal.workdays_between(today, a.deadline)
            out.append(DeadlineInfo(a.deadline, "near" if left <= near_days else "ok", left, warnings))
    return out
