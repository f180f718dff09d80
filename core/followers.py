"""Deadlines follow the calendar. When the city declares a day a holiday or an adjusted working day, every
app recomputes the open deadlines that counted working days across it and says what moved.

An app contributes `<app>/deadline_followers.py: FOLLOWERS = [fn, ...]`; `fn(day)` is called BEFORE the
calendar write (to remember what it needs, e.g. computed schedules) and returns `finish(actor)`, called after
the write inside the same transaction, which updates and audits what moved and returns one line per move."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from core.registry import collect


def prepare(day: dt.date) -> list[Callable]:
    return [follower(day) for followers in collect("deadline_followers", "FOLLOWERS") for follower in followers]


def finish(finishers: list[Callable], actor) -> list[str]:
    return [line for f in finishers for line in f(actor)]
