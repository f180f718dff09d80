"""Where a person the system has never seen lives, from the township and village names a department's file
gives (乡村振兴 lists and 残联 registers carry them): names as people write them — 詹店镇 or 詹店, 何营东村 or
何营东村民委员会 — resolved against the county's official divisions. No guessing: a name that is missing,
unknown or fits two places resolves to nothing and the county passes the row on by hand.
"""
from __future__ import annotations

import re

from core.models import Region

_SUFFIXES = ("村民委员会", "社区居民委员会", "居民委员会", "村委会", "居委会", "街道办事处", "办事处", "街道",
             "社区", "镇", "乡", "村")
_SPACE = re.compile(r"\s+")


def _keys(name: str) -> list[str]:
    """The forms a division's name is written in: as given first, then without one administrative suffix."""
    name = _SPACE.sub("", name or "")
    out = [name] if name else []
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) and name[: -len(suffix)] not in out:
            out.append(name[: -len(suffix)])
    return out


class PlaceResolver:
    """Townships and villages of one county, by the names a file uses. Built once per run (one query)."""

    def __init__(self, county_code: str):
        self.townships: dict[str, set[str]] = {}  # written form -> township codes
        self.villages: dict[tuple[str, str], set[str]] = {}  # (township code or "", written form) -> codes
        regions = (Region.objects.filter(code__startswith=county_code,
                                         level__in=[Region.Level.TOWNSHIP, Region.Level.VILLAGE])
                   .values_list("code", "name", "level"))
        for code, name, level in regions:
            forms = _keys(name)
            if level == Region.Level.TOWNSHIP:
                for form in forms:
                    self.townships.setdefault(form, set()).add(code)
                continue
            short = Region(code=code, name=name).short_name
            forms += [f for f in _keys(short) if f not in forms]
            for form in forms:
                self.villages.setdefault((code[:9], form), set()).add(code)
                self.villages.setdefault(("", form), set()).add(code)

    def village(self, township: str, village: str) -> str | None:
        """The village code for a (township, village) pair of names, or None when it is not certain."""
        township_code = ""
        if township and township.strip():
            codes = self._one(self.townships, _keys(township))
            if codes is None:
                return None
            township_code = codes
        if not village or not village.strip():
            return None
        return self._one(self.villages, [(township_code, form) for form in _keys(village)])

    @staticmethod
    def _one(table: dict, forms: list) -> str | None:
        """The single code the written forms point at, trying the name as written before its shortened form;
        a form that fits two places ends the search with None."""
        for form in forms:
            codes = table.get(form)
            if codes:
                return next(iter(codes)) if len(codes) == 1 else None
        return None
