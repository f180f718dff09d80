"""Bulk writes for jobs that make thousands of rows at once (comparison runs: problem rows, clues).

`insert(objs)` writes model instances with PostgreSQL's COPY, which costs a fraction of Django's multi-row
INSERT for thousands of rows (no SQL text to build, no per-value adaptation). Instances are built by the
caller as usual, so model defaults apply; the values are written exactly as their attributes hold them.
On other databases it is `bulk_create`. Primary keys are not set on the instances.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import time
import uuid
from decimal import Decimal

from django.db import connection, transaction


def _text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime in a bulk insert")
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (dict, list)):
        return _text(json.dumps(value, ensure_ascii=False))
    if isinstance(value, (bytes, memoryview)):
        return "\\\\x" + bytes(value).hex()
    raise TypeError(f"cannot COPY a {type(value).__name__}")


def _postgres() -> bool:
    """The fast paths (COPY, array parameters) need PostgreSQL; elsewhere the ORM's bulk operations do the same
    work, row for row, which is what the embedded SQLite default runs (and CI tests)."""
    return connection.vendor == "postgresql"


def insert(model, objs: list, *, ignore_conflicts: bool = False) -> None:
    """Insert `objs` (instances of `model`, primary key unset). `ignore_conflicts`: rows that would break a
    unique constraint are skipped, as in bulk_create(ignore_conflicts=True)."""
    if not objs:
        return
    if not _postgres():
        model.objects.bulk_create(objs, batch_size=2000, ignore_conflicts=ignore_conflicts)
        return
    attnames = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    _copy(model, attnames, ([getattr(obj, a) for a in attnames] for obj in objs), ignore_conflicts)


def insert_rows(model, fields: list[str], rows: list[tuple], *, ignore_conflicts: bool = False) -> None:
    """Insert plain tuples, one value per name in `fields` (attnames: "run_id", not "run"), without building a
    model instance per row (≈15 µs each: a 200,000-row file can make thousands of problem rows and clues).
    Fields left out get what a new instance would hold: the model default (a callable such as timezone.now is
    called once for the whole insert), NULL or ""; a field with none of these is refused before anything is
    written. The primary key may be among `fields` when the caller reserved the values (`reserve_ids`)."""
    if not rows:
        return
    extra, extra_values = _omitted(model, fields)
    if not _postgres():
        objs = [model(**dict(zip(fields, row, strict=True)), **dict(zip(extra, extra_values, strict=True))) for row in rows]
        model.objects.bulk_create(objs, batch_size=2000, ignore_conflicts=ignore_conflicts)
        return
    tail = tuple(extra_values)
    _copy(model, list(fields) + extra, (tuple(row) + tail for row in rows), ignore_conflicts)


def stream_rows(model, fields: list[str], rows, *, chunk: int = 5_000) -> None:
    """`insert_rows` for rows made as they are written (an iterator): on PostgreSQL one COPY that pulls each row
    while the server indexes the previous ones, so the making (sealing, say) and the writing overlap and the rows
    are never all held; elsewhere `insert_rows` a chunk at a time."""
    if not _postgres():
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= chunk:
                insert_rows(model, fields, batch)
                batch = []
        insert_rows(model, fields, batch)
        return
    copy_lines(model, fields, ("\t".join(map(_text, row)) for row in rows))


def _omitted(model, fields: list[str]) -> tuple[list[str], list]:
    """The fields a row leaves out, and what a new instance would hold in them (the default, NULL or "")."""
    by_name = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key or f.attname in fields}
    unknown = set(fields) - set(by_name)
    if unknown:
        raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
    extra, extra_values = [], []
    for name, field in by_name.items():
        if name in fields:
            continue
        if not (field.has_default() or field.null or field.empty_strings_allowed):
            raise ValueError(f"{model.__name__}.{name} needs a value")
        extra_values.append(field.get_default())  # the default, None or "" — what Model() would hold
        extra.append(name)
    return extra, extra_values


def escape(value: str) -> str:
    """A text value as a COPY text field (for callers that format their own lines, see `copy_lines`)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


class _LineStream(io.TextIOBase):
    """A file for copy_expert that pulls lines from an iterator as the driver reads: the rows are made while
    the server is still indexing the previous ones (two processes, two cores), and never all held at once."""

    def __init__(self, lines, tail: str):
        self.lines, self.tail, self.pending = iter(lines), tail + "\n", ""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> str:
        parts, length, tail = [self.pending], len(self.pending), self.tail
        for line in self.lines:
            parts.append(line)
            parts.append(tail)
            length += len(line) + len(tail)
            if 0 <= size <= length:
                break
        text = "".join(parts)
        if 0 <= size < len(text):
            text, self.pending = text[:size], text[size:]
        else:
            self.pending = ""
        return text


def line_stream(lines, tail: str = "") -> io.TextIOBase:
    """A file for `copy_expert` that reads the (escaped, tab-separated) `lines` one by one, each followed by
    `tail` and a newline: a COPY of values that are never held as one text."""
    return _LineStream(lines, tail)


def copy_lines(model, fields: list[str], lines) -> None:
    """PostgreSQL only: COPY pre-formatted lines — the values of `fields`, tab-separated, text escaped with
    `escape`, NULL as \\N, no newline — streamed from an iterator. For the largest writes (a county's caseload),
    where a generic per-value formatter costs more than the rest. Omitted fields get what `insert_rows` gives."""
    extra, extra_values = _omitted(model, fields)
    tail = "".join("\t" + _text(v) for v in extra_values)
    opts = model._meta
    column_of = {f.attname: f.column for f in opts.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(column_of[a]) for a in list(fields) + extra)
    # the raw cursor's errors as Django's (an IntegrityError a caller can catch, the driver's as its __cause__)
    with transaction.atomic(), connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(opts.db_table)} ({columns}) FROM STDIN",
                                  _LineStream(lines, tail), size=64 * 1024)


def _copy(model, attnames: list[str], rows, ignore_conflicts: bool) -> None:
    opts = model._meta
    table = connection.ops.quote_name(opts.db_table)
    column_of = {f.attname: f.column for f in opts.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(column_of[a]) for a in attnames)
    buf = io.StringIO("".join("\t".join(map(_text, row)) + "\n" for row in rows))
    with transaction.atomic(), connection.cursor() as cursor, connection.wrap_database_errors:
        if not ignore_conflicts:
            cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buf)
            return
        scratch = connection.ops.quote_name(f"bulk_{opts.db_table}")
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {scratch} ON COMMIT DROP AS "
                       f"SELECT {columns} FROM {table} WITH NO DATA")
        cursor.execute(f"TRUNCATE {scratch}")
        cursor.cursor.copy_expert(f"COPY {scratch} ({columns}) FROM STDIN", buf)
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {scratch} ON CONFLICT DO NOTHING")
        cursor.execute(f"TRUNCATE {scratch}")


def reserve_ids(model, n: int) -> list[int]:
    """`n` primary-key values for rows the caller inserts itself (rows that others must point to, written by
    COPY, which returns nothing). From the table's sequence on PostgreSQL; elsewhere after the highest id, which
    holds inside the caller's transaction (SQLite takes the database's write lock)."""
    if n <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if _postgres():
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, column, n])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) "
                       f"FROM {connection.ops.quote_name(table)}")
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + n))


def set_column(model, field: str, pairs: list[tuple[int, int]]) -> None:
    """Set an integer column (a foreign key) of many rows, each to its own value: `pairs` = [(primary key,
    value), ...]. One UPDATE ... FROM unnest(ids, values) on PostgreSQL (bulk_update's CASE WHEN costs far
    more to build and to plan); bulk_update elsewhere."""
    if not pairs:
        return
    column = model._meta.get_field(field).column
    if not _postgres():
        objs = [model(pk=pk, **{column: value}) for pk, value in pairs]
        model.objects.bulk_update(objs, [field], batch_size=2000)
        return
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    ids, values = zip(*pairs, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} AS t SET {connection.ops.quote_name(column)} = v.value "
                       f"FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, value) WHERE t.{pk} = v.id",
                       [list(ids), list(values)])


def rising_uids(n: int, chunk: int = 10_000):
    """`n` row uids (text) for a bulk write, each greater than the one before, made as they are used.

    Laid out as UUID version 7 (RFC 9562): the first 48 bits are the time in milliseconds, then the position in
    the batch (20 bits, across rand_a and the top of rand_b), then 54 random bits. A table's unique uid index of
    random version 4 uids spreads a batch over every one of its pages (280,000 rows into an index of 10,000,000
    entries touch nearly all of its ≈ 40,000 pages, each written whole to the WAL after a checkpoint); these all
    land next to each other, on a few hundred new pages, whatever the table's size. Nothing reads meaning into a
    uid: it binds a row's ciphertexts to the row (associated data) and is unique, which the random bits keep
    across batches of the same millisecond."""
    if n >= 1 << 20:
        raise ValueError("at most 1,048,575 uids per batch")
    stamp = f"{time.time_ns() // 1_000_000:012x}"
    head = f"{stamp[:8]}-{stamp[8:]}-7"
    for start in range(0, n, chunk):
        raw = os.urandom(7 * min(chunk, n - start)).hex()
        for k in range(start, min(start + chunk, n)):
            r = raw[14 * (k - start):14 * (k - start) + 14]
            # rand_a: the position's top 12 bits; then the variant (10), the position's low 8 bits and 54 random bits
            yield f"{head}{k >> 8:03x}-{0x8000 | (k & 0xff) << 6 | int(r[:2], 16) & 0x3f:04x}-{r[2:]}"
