"""The one working-day calendar: city overrides (core.WorkdayOverride) > chinesecalendar > weekends.

chinesecalendar knows the State Council's holiday arrangements up to the year it was released for.
A date in a later year still computes (weekends only) but `warnings_for` reports it so that the city
administrator is told to enter that year's holidays.
"""
from __future__ import annotations

import datetime as dt
import logging

import chinese_calendar

logger = logging.getLogger(__name__)


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    from core.models import WorkdayOverride

    return dict(
        WorkdayOverride.objects.filter(date__range=(start, end)).values_list("date", "is_workday")
    )


def year_known(year: int) -> bool:
    from core.models import WorkdayOverride

    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
        return True
    except NotImplementedError:
        return WorkdayOverride.objects.filter(date__year=year).exists()


def _library_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        logger.warning("节假日安排未知的年份 %s，按周末计算", day.year)
        return day.weekday() < 5


class Calendar:
    """Caches overrides over a window; use one per computation."""

    def __init__(self, start: dt.date, end: dt.date):
        self._overrides = _overrides(start, end)

    def is_workday(self, day: dt.date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        return _library_workday(day)


def is_workday(day: dt.date) -> bool:
    return Calendar(day, day).is_workday(day)


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (start itself not counted)."""
    cal = Calendar(start, start + dt.timedelta(days=n * 3 + 60))
    day, left = start, n
    while left > 0:
        day += dt.timedelta(days=1)
        if cal.is_workday(day):
            left -= 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`."""
    if end <= start:
        return 0
    cal = Calendar(start, end)
    return sum(1 for i in range(1, (end - start).days + 1) if cal.is_workday(start + dt.timedelta(days=i)))


def last_workday_on_or_before(day: dt.date) -> dt.date:
    cal = Calendar(day - dt.timedelta(days=30), day)
    while not cal.is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def warnings_for(*days: dt.date) -> list[str]:
    years = sorted({d.year for d in days})
    return [f"{y}年的法定节假日尚未录入，期限暂按周末计算，请市级管理员补录" for y in years if not year_known(y)]
