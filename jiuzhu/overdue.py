"""Top floor: the overdue board (issue #8 item 4) asks every app for its time limits.

Everything time-limited that is overdue or nearly due in the user's own region: applications, undelivered
notices, open data clues, 先行救助 paperwork, spot-check answers, complaints, re-checks and the payment
cycle's deadlines. Each app defines its own sections (`<app>/overdue.py: SECTIONS`, see core.overdue); this
module collects them in order and adds the per-place table. Every read goes through
`.restrict(user, action)`; the number of queries is fixed (one count query and one list query per section)
whatever the number of rows.
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.households.selectors import region_names
from core import params, workdays
from core.models import Region
from core.overdue import COUNTY_LEVEL, Provider, Request, Section
from core.registry import collect


def providers() -> list[Provider]:
    """Every app's sections, in board order."""
    return sorted((p for sections in collect("overdue", "SECTIONS") for p in sections), key=lambda p: p.order)


def board(*, user, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    horizon = workdays.add_workdays(today, params.get("dibao.nearly_due_workdays", today))
    city = user.region.level == Region.Level.CITY
    request = Request(user=user, today=today, horizon=horizon, city=city)
    sections = [s for s in (p.build(request) for p in providers()) if s is not None]
    places = _places(user, sections)
    names = {p["code"]: p["name"] for p in places}
    for s in sections:
        for i in s.items:
            i.place_name = names.get(i.place, i.place)
    return {"sections": sections, "clear_sections": [s for s in sections if not s.items], "places": places,
            "show_place": user.region.level != Region.Level.TOWNSHIP, "today": today, "horizon": horizon, "by_city": city}


def _places(user, sections: list[Section]) -> list[dict]:
    """One row per township (county/township users) or county (city users): counts per section."""
    names = region_names()
    codes = set()
    for s in sections:
        codes.update(s.counts)
    if user.region.level == Region.Level.TOWNSHIP:
        codes.add(user.region_id)
    out = []
    for code in sorted(codes, key=lambda c: (c == COUNTY_LEVEL, c)):
        cells = [s.counts.get(code, {"overdue": 0, "near": 0}) for s in sections]
        out.append({"code": code, "name": "县（市、区）本级" if code == COUNTY_LEVEL else names.get(code, code),
                    "cells": cells, "overdue": sum(c["overdue"] for c in cells),
                    "near": sum(c["near"] for c in cells)})
    return out
