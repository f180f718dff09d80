"""The overdue board's shared pieces (逾期事项, issue #8 item 4).

Every app that keeps time limits answers for its own: `<app>/overdue.py` lists `SECTIONS`, providers that
build one `Section` each for the requesting user (or None when the user's role does not see it). The top
floor (`jiuzhu.overdue`) collects them with `core.registry.collect`, orders them and adds the per-place
table. Each provider reads through `.restrict(user, action)` and makes a fixed number of queries (one count
query and one list query), whatever the number of rows.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

LIST_LIMIT = 30  # rows shown per section; the section links to its own full list
COUNTY_LEVEL = "county"  # grouping key for rows handled by the county itself (no township)


@dataclass
class Item:
    place: str  # township code (county users), county code (city users), or COUNTY_LEVEL
    what: str
    who: str
    due: dt.date
    state: str  # overdue / near
    url: str
    township: str = ""
    place_name: str = ""

    @property
    def days_over(self) -> int:
        return (timezone.localdate() - self.due).days


@dataclass
class Section:
    key: str
    label: str
    list_url: str
    items: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # place -> {"overdue": n, "near": n}

    @property
    def overdue(self) -> int:
        return sum(c["overdue"] for c in self.counts.values())

    @property
    def near(self) -> int:
        return sum(c["near"] for c in self.counts.values())

    @property
    def shown_all(self) -> bool:
        return len(self.items) >= self.overdue + self.near


@dataclass(frozen=True)
class Request:
    """What every provider is asked with: the user, today, the 'nearly due' horizon, and whether rows are
    grouped by county (city users) or by township (everyone else)."""
    user: object
    today: dt.date
    horizon: dt.date
    city: bool

    def place_of(self, county_id: str, township_id: str | None) -> str:
        return county_id if self.city else (township_id or COUNTY_LEVEL)

    def place_field(self, township_field: str, county_field: str) -> str:
        """The field to group counts by: the county's for the city, the township's for everyone else."""
        return county_field if self.city else township_field

    def state(self, due: dt.date) -> str:
        return "overdue" if due < self.today else "near"

    def count(self, section: Section, qs, due_field: str, place_field: str) -> None:
        """The section's overdue / nearly-due counts per place, in one grouped query."""
        rows = (qs.order_by().values(place_field)
                .annotate(overdue=Count("pk", filter=Q(**{f"{due_field}__lt": self.today})),
                          near=Count("pk", filter=Q(**{f"{due_field}__gte": self.today}))))
        for r in rows:
            place = r[place_field] or COUNTY_LEVEL
            c = section.counts.setdefault(place, {"overdue": 0, "near": 0})
            c["overdue"] += r["overdue"]
            c["near"] += r["near"]


@dataclass(frozen=True)
class Provider:
    """One section of the board: `order` places it among every app's sections."""
    order: int
    build: Callable[[Request], Section | None]
