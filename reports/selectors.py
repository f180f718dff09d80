"""Reads of the reports floor, the requesting user first: the region and month asked for, the aims dashboard,
the cases behind a number, trends and region comparisons.

Every number is one aggregate query over the indicator's restricted queryset (core.indicators): the dashboard
makes a fixed number of queries (two per indicator: this month and last), whatever the number of cases.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from accounts.models import ROLE_LEVEL
from accounts.scope import grants_fingerprint
from core.indicators import AIMS, STATUS_LABELS, Ask, Indicator
from core.models import Region
from core.months import add_months, first_of_month
from reports import registry
from reports.models import IndicatorSnapshot

CHILD_LEVEL = {Region.Level.CITY: Region.Level.COUNTY, Region.Level.COUNTY: Region.Level.TOWNSHIP,
               Region.Level.TOWNSHIP: Region.Level.VILLAGE}


def home_region(user) -> Region:
    """The user's own region; a city-level role answers for the whole city."""
    if ROLE_LEVEL.get(user.role) == Region.Level.CITY:
        return Region.objects.filter(level=Region.Level.CITY).order_by("code").first() or user.region
    return user.region


def within(user, region: Region) -> bool:
    if ROLE_LEVEL.get(user.role) == Region.Level.CITY:
        return True
    return region.code.startswith(user.region_id)


def resolve_region(user, code: str | None) -> Region:
    """The region asked for (`?region=CODE`), or the user's own; outside the user's region is not found (404)."""
    if not code:
        return home_region(user)
    if not re.fullmatch(r"\d{6,12}", code.strip()):
        raise Http404("未找到")
    region = Region.objects.filter(code=code.strip()).first()
    if region is None or not within(user, region):
        raise Http404("未找到")
    return region


def resolve_month(value: str | None, today: dt.date | None = None) -> dt.date:
    """`?month=YYYY-MM`, or the running month; a month after the running one is refused as not found."""
    today = today or timezone.localdate()
    if not value:
        return first_of_month(today)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 2000:
        raise Http404("月份格式应为 YYYY-MM")
    month = dt.date(int(m.group(1)), int(m.group(2)), 1)
    if month > first_of_month(today):
        raise Http404("不能查询未来的月份")
    return month


def trail(user, region: Region) -> list[Region]:
    """Breadcrumbs from the user's home region down to `region` (each a region the user may open)."""
    home = home_region(user)
    chain = list(dict.fromkeys(c for c in (region.code[:6], region.code[:9], region.code) if len(c) in (6, 9, 12)))
    found = {r.code: r for r in Region.objects.filter(code__in=chain)}
    out = [home]
    for code in chain:
        r = found.get(code)
        if r is not None and r.code != home.code and within(user, r):
            out.append(r)
    return out


def children(region: Region) -> list[Region]:
    level = CHILD_LEVEL.get(region.level)
    if level is None:
        return []
    qs = Region.objects.filter(level=level)
    if region.level != Region.Level.CITY:
        qs = qs.filter(code__startswith=region.code)
    return list(qs.order_by("code"))


@dataclass
class Cell:
    indicator: Indicator
    value: Decimal
    previous: Decimal
    target: Decimal | None
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def change(self) -> Decimal:
        return self.value - self.previous

    def as_json(self) -> dict:
        i = self.indicator
        return {"code": i.code, "label": i.label, "definition": i.definition, "unit": i.unit,
                "value": str(_plain(self.value)), "previous": str(_plain(self.previous)),
                "target": None if self.target is None else str(_plain(self.target)),
                "better": i.better, "status": self.status, "status_label": self.status_label}


def _plain(d: Decimal) -> Decimal:
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


def ask(user, region: Region, month: dt.date, today: dt.date | None = None) -> Ask:
    return Ask(user=user, region=region, month=month, today=today or timezone.localdate())


def summarised(region: Region, month: dt.date, today: dt.date | None = None) -> dict[str, Decimal]:
    """Last month's values from the nightly summary (reports.IndicatorSnapshot), one query: only for the city and
    counties (where the summary is kept) and closed months. The caller has checked that the region lies within the
    user's own region, where the summary's count and the user's count are the same cases."""
    today = today or timezone.localdate()
    if region.level not in (Region.Level.CITY, Region.Level.COUNTY) or month >= first_of_month(today):
        return {}
    return dict(IndicatorSnapshot.objects.filter(month=month, region=region.code).values_list("code", "value"))


def measure(user, indicator: Indicator, region: Region, month: dt.date, today: dt.date | None = None,
            previous: Decimal | None = None) -> Cell:
    now = ask(user, region, month, today)
    value = indicator.measure(now)
    if previous is None:
        previous = indicator.measure(ask(user, region, add_months(month, -1), today))
    target = indicator.target_on(now.as_of)
    return Cell(indicator, value, previous, target, indicator.status(value, target))


def dashboard(*, user, region: Region, month: dt.date, today: dt.date | None = None) -> list[dict]:
    """The three aims, each with its indicators measured for the month and the month before."""
    stored = summarised(region, add_months(month, -1), today)
    cells = [measure(user, i, region, month, today, previous=stored.get(i.code)) for i in registry.visible(user)]
    return _grouped(cells)


def _grouped(cells: list[Cell]) -> list[dict]:
    out = []
    for code, label, meaning in AIMS:
        mine = [c for c in cells if c.indicator.aim == code]
        out.append({"code": code, "label": label, "meaning": meaning, "cells": mine,
                    "red": sum(c.status == "red" for c in mine), "amber": sum(c.status == "amber" for c in mine)})
    return out


def _dashboard_key(user, region: Region, month: dt.date, today: dt.date) -> str:
    """Everything the dashboard's numbers depend on besides the data: what the user reaches (role, whether the
    account is active, own region, explicit grants — accounts.scope), the region and month asked and the day
    (the running month is counted up to today)."""
    return (f"reports:aims:{user.role}:{int(user.is_active)}:{user.region_id}:{grants_fingerprint(user)}:"
            f"{region.code}:{month:%Y-%m}:{today:%Y-%m-%d}")


def dashboard_cached(*, user, region: Region, month: dt.date, today: dt.date | None = None) -> tuple[list[dict], dt.datetime]:
    """`dashboard`, kept in the shared cache for `REPORTS_AIMS_CACHE_SECONDS` (0: always live) per scope, region,
    month and day: the whole city's running month counts several 100,000-row tables. Returns the aims and the
    time they were computed (shown on the page as 数据更新于 HH:MM)."""
    today = today or timezone.localdate()
    ttl = getattr(settings, "REPORTS_AIMS_CACHE_SECONDS", 0)
    key = _dashboard_key(user, region, month, today) if ttl else ""
    stored = cache.get(key) if key else None
    if stored is not None:
        computed_at, values = stored
        by_code = {i.code: i for i in registry.visible(user)}
        if set(values) == set(by_code):  # the same indicators as when stored (else compute afresh)
            cells = [Cell(by_code[code], *v) for code, v in values.items()]
            return _grouped(cells), computed_at
    computed_at = timezone.now()
    data = dashboard(user=user, region=region, month=month, today=today)
    if key:
        values = {c.indicator.code: (c.value, c.previous, c.target, c.status) for a in data for c in a["cells"]}
        cache.set(key, (computed_at, values), ttl)
    return data, computed_at


def indicator_or_404(user, code: str) -> Indicator:
    indicator = registry.get(user, code)
    if indicator is None:
        raise Http404("未找到")
    return indicator


def rows(*, user, indicator: Indicator, region: Region, month: dt.date, today: dt.date | None = None):
    """The cases behind the number (restricted to the user's scope and the region), in a stable order."""
    qs = indicator.rows(ask(user, region, month, today))
    if isinstance(qs, list):
        return qs
    return qs.order_by(*(qs.query.order_by or ()), "pk") if qs.query.order_by else qs.order_by("-pk")


def trend(*, user, indicator: Indicator, region: Region, month: dt.date, months: int = 12) -> list[dict]:
    """The indicator over the last `months` months (one aggregate query per month)."""
    out = []
    for k in range(months - 1, -1, -1):
        m = add_months(month, -k)
        a = ask(user, region, m)
        out.append({"month": f"{m:%Y-%m}", "value": float(indicator.measure(a))})
    return out


def comparison(*, user, indicator: Indicator, region: Region, month: dt.date) -> list[dict]:
    """The indicator for each sub-region of `region` (one aggregate query each)."""
    return [{"code": r.code, "name": r.short_name, "value": float(indicator.measure(ask(user, r, month)))}
            for r in children(region)]
