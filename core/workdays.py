"""The one working-day calendar: city overrides (core.WorkdayOverride) > chinesecalendar > weekends.

chinesecalendar knows the State Council's holiday arrangements up to the year it was released for.
A date in a later year still computes (weekends only) but `warnings_for` reports it so that the city
administrator is told to enter that year's holidays.
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
import time

import chinese_calendar
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from core import audit, context
from core.models import WorkdayOverride

logger = logging.getLogger(__name__)

# The city's overrides (a few dozen rows a year) are kept per process and read again when the calendar's version
# in the shared cache changes — every write of an override sets a new one, at once and after commit — checked
# at most once per request, and at least every SNAPSHOT_SECONDS whatever the version says. Without a shared cache
# (one process per office, `make run`) every calendar reads the table, as before.
VERSION_KEY = "workdays:version"
SNAPSHOT_SECONDS = 300
_snapshot: dict = {"version": None, "request": 0, "at": 0.0, "overrides": {}, "years": frozenset()}


def calendar_changed() -> None:
    """A new calendar version: every process reads the overrides again on its next request (called on every
    save or delete of an override, again after commit)."""
    def bump():
        _snapshot["version"] = None  # this process too, even later in the same request
        cache.set(VERSION_KEY, secrets.token_hex(8), None)

    bump()
    transaction.on_commit(bump)


def _on_write(sender, **kwargs):
    calendar_changed()


post_save.connect(_on_write, sender=WorkdayOverride, dispatch_uid="workdays-version-save")
post_delete.connect(_on_write, sender=WorkdayOverride, dispatch_uid="workdays-version-delete")


def _current() -> dict | None:
    """The snapshot of every override ({date: is_workday} and the years they fall in), or None without a shared
    cache."""
    if not settings.JIUZHU_SHARED_CACHE:
        return None
    snap, request, now = _snapshot, context.request_serial.get(), time.monotonic()
    if request and snap["request"] == request and snap["version"] is not None:
        return snap  # checked earlier in this request
    version = cache.get(VERSION_KEY)
    if version is None:  # never set, or evicted: a new version makes every process read the table again
        cache.add(VERSION_KEY, secrets.token_hex(8), None)
        version = cache.get(VERSION_KEY)
    if version is None or version != snap["version"] or now - snap["at"] >= SNAPSHOT_SECONDS:
        overrides = dict(WorkdayOverride.objects.values_list("date", "is_workday"))
        snap.update(version=version, at=now, overrides=overrides, years=frozenset(d.year for d in overrides))
    snap["request"] = request
    return snap


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    snap = _current()
    if snap is not None:
        return {day: w for day, w in snap["overrides"].items() if start <= day <= end}
    return dict(
        WorkdayOverride.objects.filter(date__range=(start, end)).values_list("date", "is_workday")
    )


def year_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
        return True
    except NotImplementedError:
        snap = _current()
        if snap is not None:
            return year in snap["years"]
        return WorkdayOverride.objects.filter(date__year=year).exists()


_warned_years: set[int] = set()


def _library_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:  # once per year and process, not once per day computed
            _warned_years.add(day.year)
            if not year_known(day.year):  # the city has entered that year's holidays: nothing to ask for
                logger.warning("%s年的法定节假日尚未录入，期限暂按周末计算：请市级管理员在“公开与设置 · 节假日安排”补录",
                               day.year)
        return day.weekday() < 5


class Calendar:
    """Caches overrides over a window; use one per computation."""

    def __init__(self, start: dt.date, end: dt.date):
        self._overrides = _overrides(start, end)

    def is_workday(self, day: dt.date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        return _library_workday(day)

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (both inside the calendar's window)."""
        if end <= start:
            return 0
        return sum(1 for i in range(1, (end - start).days + 1) if self.is_workday(start + dt.timedelta(days=i)))


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
    return Calendar(start, end).workdays_between(start, end)


def last_workday_on_or_before(day: dt.date) -> dt.date:
    cal = Calendar(day - dt.timedelta(days=30), day)
    while not cal.is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def warnings_for(*days: dt.date) -> list[str]:
    years = sorted({d.year for d in days})
    return [year_warning(y) for y in years if not year_known(y)]


def year_warning(year: int) -> str:
    return f"{year}年的法定节假日尚未录入，期限暂按周末计算，请市级管理员补录"


# --- the city administrator's calendar maintenance -------------------------------------------------

def library_years() -> range:
    """The years chinesecalendar knows (from its own data, not guessed)."""
    years = sorted({d.year for d in chinese_calendar.holidays})
    return range(years[0], years[-1] + 1)


def years_in_use(today: dt.date | None = None) -> list[int]:
    """Deadlines are computed in the current and the next year."""
    today = today or timezone.localdate()
    return [today.year, today.year + 1]


def unknown_years(today: dt.date | None = None) -> list[int]:
    return [y for y in years_in_use(today) if not year_known(y)]


def year_days(year: int) -> list[dict]:
    """Non-ordinary days of a year: holidays on weekdays and working weekends, with their source.

    Each row: date, is_workday, name, source ("library" | "override"), override (the row or None).
    """
    overrides = {o.date: o for o in WorkdayOverride.objects.filter(date__year=year).select_related("created_by")}
    days: dict[dt.date, dict] = {}
    if year in library_years():
        for day, name in chinese_calendar.holidays.items():
            if day.year == year and day.weekday() < 5:
                days[day] = {"date": day, "is_workday": False, "name": _holiday_name(name), "source": "library"}
        for day, name in chinese_calendar.workdays.items():
            if day.year == year and day.weekday() >= 5:
                days[day] = {"date": day, "is_workday": True, "name": _holiday_name(name), "source": "library"}
    for day, o in overrides.items():
        days[day] = {"date": day, "is_workday": o.is_workday, "name": o.name, "source": "override", "override": o}
    return [days[d] for d in sorted(days)]


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
}


def _holiday_name(name) -> str:
    return _HOLIDAY_NAMES.get(getattr(name, "value", name), str(getattr(name, "value", name) or ""))


def workday_override_write(*, actor, date: dt.date, is_workday: bool, name: str, reason: str = ""):
    """Declare one day a holiday (is_workday=False) or an adjusted working day; audited.

    No role check here (the ground floor knows no roles): callers go through
    accounts.parameters.services.workday_override_set, which lets only roles with Action.PARAMS_CHANGE."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写说明，如“2027年春节”或“春节调休上班”"})
    if is_workday and date.weekday() < 5:
        raise ValidationError({"date": f"{date:%Y年%m月%d日}是周一至周五，本来就是工作日，无需登记为调休上班"})
    with transaction.atomic():
        existing = WorkdayOverride.objects.select_for_update().filter(date=date).first()
        before = audit.snapshot(existing, ["date", "is_workday", "name"]) if existing else None
        if existing:
            existing.is_workday, existing.name = is_workday, name
            existing.full_clean()
            existing.save(update_fields=["is_workday", "name"])
            row = existing
        else:
            row = WorkdayOverride(date=date, is_workday=is_workday, name=name, created_by=actor)
            row.full_clean()
            row.save()
        audit.record(actor=actor, action="workday.set", obj=row, before=before,
                     after=audit.snapshot(row, ["date", "is_workday", "name"]), reason=reason or name,
                     category=audit.Category.ADMIN, object_repr=f"{date:%Y-%m-%d} {name}")
    return row


def workday_override_remove(*, actor, date: dt.date, reason: str = ""):
    """Remove a city override (the library's arrangement applies again); audited. No role check here:
    callers go through accounts.parameters.services.workday_override_delete."""
    with transaction.atomic():
        row = WorkdayOverride.objects.select_for_update().filter(date=date).first()
        if row is None:
            raise ValidationError(f"{date:%Y年%m月%d日}没有登记的调整")
        before = audit.snapshot(row, ["date", "is_workday", "name"])
        audit.record(actor=actor, action="workday.delete", obj=row, before=before, after=None,
                     reason=reason or "删除节假日调整", category=audit.Category.ADMIN,
                     object_repr=f"{date:%Y-%m-%d} {row.name}")
        row.delete()
