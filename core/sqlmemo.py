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
_UNMEMOIZABLE = object()


def _slot(i: int) -> str:
    return f"\x00sqlmemo-argument-{i}\x00"  # never in real input: a NUL byte cannot reach PostgreSQL text


def values(key: Hashable, build: Callable[..., QuerySet], args: tuple = ()) -> list[dict]:
    """The rows of `build(*args)` — a `.values(...)` queryset, sliced as wanted — as dicts, like iterating it;
    its SQL compiled once per `key` and run afresh on every call. `key` must capture everything else the
    queryset depends on (scope, kind of filter, slice). `args` (strings: search terms, filter values) are
    parameters of the statement: it is compiled with a placeholder text for each, and every parameter that is a
    placeholder, or a LIKE pattern around one (`__startswith` and the like), takes the argument's value on each
    call, escaped for LIKE as Django escapes it. The first compilation is checked against the queryset built
    with the real arguments; a queryset that uses an argument any other way is not memoized but built on every
    call. The backend's value converters are applied as the ORM does."""
    entry = _rows.get(key)
    if entry is None:
        entry = _rows_entry(build, args)
        if len(_rows) >= MAX_ENTRIES:
            _rows.clear()
        _rows[key] = entry
    if entry is _UNMEMOIZABLE:
        return list(build(*args))
    alias, sql, params, slots, names, converters = entry
    if sql is None:
        return []
    connection = connections[alias]
    if slots:
        params = _filled(entry, args)
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


def _compile(qs: QuerySet):
    compiler = qs.query.get_compiler(using=qs.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # .none() or an empty IN list: no statement, like the ORM
        return compiler, None, ()
    return compiler, sql, tuple(params)


def _rows_entry(build, args: tuple):
    if any(not isinstance(a, str) or "\x00" in a for a in args):
        return _UNMEMOIZABLE
    placeholders = [_slot(i) for i in range(len(args))]
    qs = build(*placeholders)
    compiler, sql, params = _compile(qs)
    query = qs.query
    if sql is None:
        entry = (qs.db, None, (), (), (), ())
    else:
        slots = []
        for pos, param in enumerate(params):
            if not isinstance(param, str) or "\x00sqlmemo-argument-" not in param:
                continue
            found = [i for i, p in enumerate(placeholders) if p in param]
            if len(found) != 1:
                return _UNMEMOIZABLE
            before, _, after = param.partition(placeholders[found[0]])
            if param == placeholders[found[0]]:
                slots.append((pos, found[0], None, None))
            elif set(before + after) <= {"%"}:  # a LIKE pattern: contains, startswith, endswith
                slots.append((pos, found[0], before, after))
            else:
                return _UNMEMOIZABLE
        if "sqlmemo-argument-" in sql:  # an argument written into the SQL text itself
            return _UNMEMOIZABLE
        found = compiler.get_converters([expr for expr, _, _ in compiler.select])
        entry = (qs.db, sql, params, tuple(slots),
                 (*query.extra_select, *query.values_select, *query.annotation_select),
                 tuple((pos, tuple(convs), expr) for pos, (convs, expr) in found.items()))
    # the check: the placeholders filled with the real arguments give exactly the real queryset's statement
    real_qs = build(*args)
    _, real_sql, real_params = _compile(real_qs)
    if real_sql != entry[1] or real_qs.db != entry[0] or (real_sql is not None and _filled(entry, args) != real_params):
        return _UNMEMOIZABLE
    return entry


def _filled(entry, args: tuple) -> tuple:
    alias, _, params, slots, _, _ = entry
    params = list(params)
    for pos, i, before, after in slots:
        params[pos] = args[i] if before is None else f"{before}{connections[alias].ops.prep_for_like_query(args[i])}{after}"
    return tuple(params)
