"""SQL of scoped querysets, compiled once per scope per process.

Building and compiling a Django queryset costs more CPU than a small indexed statement costs PostgreSQL; on
pages seen on every visit (the home page's to-do counts, the household list) that compilation was most of the
page's time (bench/README.md). `aggregates` (summaries, one statement for several) and `values` (rows as dicts)
keep the SQL and parameters under a key that must capture everything the querysets depend on —
accounts.scope.scope_key for their scope, plus filters, slices, dates and the user where they matter. Only SQL
text is kept: every call reads current data.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import IntegerField, QuerySet, Value

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


_rows: dict[Hashable, tuple] = {}


def values(key: Hashable, build: Callable[[], QuerySet]) -> list[dict]:
    """The rows of `build()` — a `.values(...)` queryset, sliced as wanted — as dicts, like iterating it; its SQL
    compiled once per `key`, which must capture everything the queryset depends on (scope, filters, slice), and
    the statement run afresh on every call. The backend's value converters are applied as the ORM does."""
    entry = _rows.get(key)
    if entry is None:
        qs = build()
        query = qs.query
        compiler = query.get_compiler(using=qs.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # .none() or an empty IN list: no statement, like the ORM
            entry = (qs.db, None, (), (), ())
        else:
            found = compiler.get_converters([expr for expr, _, _ in compiler.select])
            entry = (qs.db, sql, tuple(params), (*query.extra_select, *query.values_select, *query.annotation_select),
                     tuple((pos, tuple(convs), expr) for pos, (convs, expr) in found.items()))
        if len(_rows) >= MAX_ENTRIES:
            _rows.clear()
        _rows[key] = entry
    alias, sql, params, names, converters = entry
    if sql is None:
        return []
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        rows = [list(row) for row in rows]
        for row in rows:
            for pos, convs, expr in converters:
                for convert in convs:
                    row[pos] = convert(row[pos], expr, connection)
    return [dict(zip(names, row, strict=True)) for row in rows]
