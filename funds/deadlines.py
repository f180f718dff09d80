"""§6 deadlines of a monthly payment cycle: data + funds request by the 5th, finance transfer by the 8th,
bank payment by the 10th (params). A deadline on a weekend or public holiday moves to the last working day
before it (core.workdays: city overrides > chinesecalendar > weekends)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from core import params, workdays


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    param: str
    done_field: str  # PaymentBatch field whose date says the step was done
    role: str  # who is reminded


STEPS = [
    Step("data", "数据报送一卡通并申请资金", "payment.data_day", "funds_requested_at", "county_officer"),
    Step("finance", "财政拨付", "payment.finance_day", "transferred_at", "finance_officer"),
    Step("bank", "银行发放到卡", "payment.bank_day", "result_imported_at", "county_officer"),
]


def nominal(month: dt.date, step: Step) -> dt.date:
    return dt.date(month.year, month.month, int(params.get(step.param, month)))


def schedule(month: dt.date) -> dict[str, dt.date]:
    """{step key: due date} for the payment month (first day of month)."""
    return schedules([month])[month]


def schedules(months) -> dict[dt.date, dict[str, dt.date]]:
    """schedule() of several months with one read of the calendar overrides (a page listing many batches)."""
    nominals = {m: {s.key: nominal(m, s) for s in STEPS} for m in set(months)}
    days = [d for n in nominals.values() for d in n.values()]
    if not days:
        return {}
    cal = workdays.Calendar(min(days) - dt.timedelta(days=30), max(days))

    def last_workday(day: dt.date) -> dt.date:
        while not cal.is_workday(day):
            day -= dt.timedelta(days=1)
        return day

    return {m: {key: last_workday(day) for key, day in n.items()} for m, n in nominals.items()}


@dataclass
class StepState:
    step: Step
    due: dt.date
    done_on: dt.date | None
    state: str  # met / missed / pending / overdue

    @property
    def label(self) -> str:
        return {"met": "按时完成", "missed": "逾期完成", "pending": "未到期", "overdue": "已逾期"}[self.state]

    @property
    def css(self) -> str:
        return {"met": "tag-ok", "missed": "tag-danger", "pending": "", "overdue": "tag-danger"}[self.state]


def states(batch, today: dt.date, due: dict[str, dt.date] | None = None) -> list[StepState]:
    due = due or schedule(batch.month)
    out = []
    for step in STEPS:
        stamp = getattr(batch, step.done_field) if batch is not None else None
        done_on = timezone.localdate(stamp) if stamp else None
        if done_on:
            state = "met" if done_on <= due[step.key] else "missed"
        else:
            state = "overdue" if today > due[step.key] else "pending"
        out.append(StepState(step, due[step.key], done_on, state))
    return out
