"""Every app's indicators (`<app>/indicators.py: INDICATORS`, see core.indicators), collected once per process."""
from __future__ import annotations

from functools import lru_cache

from accounts.scope import can
from core.indicators import AIMS, Indicator
from core.registry import collect


@lru_cache(maxsize=1)
def indicators() -> tuple[Indicator, ...]:
    rank = {code: i for i, (code, _, _) in enumerate(AIMS)}
    found = [i for group in collect("indicators", "INDICATORS") for i in group]
    codes = [i.code for i in found]
    duplicates = {c for c in codes if codes.count(c) > 1}
    if duplicates:
        raise ValueError(f"indicator codes used twice: {sorted(duplicates)}")
    return tuple(sorted(found, key=lambda i: (rank.get(i.aim, 99), i.order, i.code)))


def visible(user) -> list[Indicator]:
    """The indicators the user's role may read (any of the indicator's actions)."""
    return [i for i in indicators() if any(can(user, a) for a in i.actions)]


def get(user, code: str) -> Indicator | None:
    return next((i for i in visible(user) if i.code == code), None)
