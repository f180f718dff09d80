"""Summary SQL of scoped querysets, compiled once per scope per process.

Building and compiling a Django queryset costs more CPU than a small indexed aggregate costs PostgreSQL; on
a page seen on every visit (the home page's to-do counts) that compilation was most of the page's time
(bench/README.md). `aggregates` keeps the SQL and parameters under a key that must capture everything the
querysets depend on — accounts.scope.scope_key for their scope, plus dates and the user where they matter —
and reads all the aggregates with a single statement. Only SQL text is kept: every call reads current data.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

from django.db import connections
from django.db.models import IntegerField, Value

MAX_ENTRIES = 4096
_compiled: dict[Hashable, tuple[str, str, tuple, tuple]] = {}


def aggregates(key: Hashable, build: Callable[[], Iterable[tuple]]) -> dict:
    """`build()` returns (queryset, {name: aggregate}) pairs; the result is {name: value} of all of them, read
    with one statement (each pair is one row, cross-joined). A `.none()` queryset aggregates no rows."""
    entry = _compiled.get(key)
    if entry is None:
        parts, names, alias = [], [], "default"
        for qs, wanted in build():
            alias = qs.db
            if not wanted:  # nothing asked of it: without an aggregate it would be a row per object, or none
                continue
            one_row = qs.order_by().annotate(_row=Value(1, output_field=IntegerField())).values("_row") \
                .annotate(**wanted)  # grouped by a constant: no GROUP BY, one row
            parts.append(one_row.query.get_compiler(using=alias, elide_empty=False).as_sql())
            names.extend(["", *wanted])
        sql = "SELECT * FROM " + " CROSS JOIN ".join(f"({s}) AS part{i}" for i, (s, _) in enumerate(parts))
        entry = (alias, sql, tuple(p for _, params in parts for p in params), tuple(names))
        if len(_compiled) >= MAX_ENTRIES:
            _compiled.clear()
        _compiled[key] = entry
    alias, sql, params, names = entry
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return {name: value for name, value in zip(names, row, strict=True) if name}
