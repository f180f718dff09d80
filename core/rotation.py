"""Key rotation: re-encrypt every sealed column and recompute every blind index of every sealed model
(`core.sealing.sealed_models()`), in primary-key batches, resumable.

- Which rows need work is decided from the rows themselves (`key_version` below the current SM4 key
  version; a blind-index value outside the current index keyspace), so an interrupted run simply
  continues where it stopped when started again, and rows already done are skipped.
- Each batch is one short transaction that locks its rows with `SELECT ... FOR UPDATE SKIP LOCKED`:
  a row a caseworker is editing right now is left alone and picked up by the next run.
- Blind indexes under index key version n >= 2 live in their own keyspace ("v<n>:" prefix; see
  `core.crypto.blind_index`), so a recomputed value can never equal another row's old value and the
  unique constraint on `Person.id_index` holds after every single row. Lookups match every index
  version in the ring meanwhile (`idnumbers.index_candidates`).

The command (`manage.py rotate_keys`) is the security administrator's action and is audited;
`status()` feeds the security administrator's page.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q

from core import crypto, keys
from core.sealing import sealed_models


@dataclass
class Progress:
    model: str
    done: int = 0
    skipped_locked: int = 0
    errors: list[str] = field(default_factory=list)


def _index_current_q(column: str, version: int) -> Q:
    """Rows whose blind index in `column` is already under index key `version` (or empty)."""
    empty = Q(**{f"{column}__isnull": True}) | Q(**{column: ""})
    if version == 1:
        return empty | ~Q(**{f"{column}__startswith": "v"})
    return empty | Q(**{f"{column}__startswith": f"v{version}:"})


def pending_q(model) -> Q:
    ring = keys.get_keyring()
    q = ~Q(key_version=ring.current)
    for column in model.indexed_fields:
        q |= ~_index_current_q(column, ring.index_current)
    return q


def _rework(row, ring) -> list[str]:
    """Re-seal and re-index one row in memory; return the columns that changed."""
    changed = []
    plain = {}
    for column in row.sealed_fields:
        blob = getattr(row, column)
        if blob is None or not len(bytes(blob)):
            continue
        if crypto.key_version(blob) != ring.current or column in {c for c, _ in row.indexed_fields.values()}:
            plain[column] = row.unseal_column(column)  # raises DecryptionError on damage
        if crypto.key_version(blob) != ring.current:
            row.seal_column(column, plain[column], version=ring.current)
            changed.append(column)
    for column, (source, kind) in row.indexed_fields.items():
        value = getattr(row, column)
        if value and crypto.index_version(value) != ring.index_current and plain.get(source) is not None:
            setattr(row, column, crypto.blind_index(kind, plain[source], version=ring.index_current))
            changed.append(column)
    if row.key_version != ring.current:
        row.key_version = ring.current
        changed.append("key_version")
    return changed


def rotate_model(model, *, batch: int = 500, out=None) -> Progress:
    ring = keys.get_keyring()
    batch = min(batch, getattr(model, "rotation_batch", batch))  # models with large blobs (attachments) ask for less
    progress = Progress(model=model._meta.label_lower)
    base = model._base_manager.all()
    pending = pending_q(model)
    columns = list(model.sealed_fields) + list(model.indexed_fields) + ["key_version"]
    lock = connection.features.has_select_for_update_skip_locked
    last = None
    while True:
        with transaction.atomic():
            page = base.filter(pending)
            if last is not None:
                page = page.filter(pk__gt=last)
            pks = list(page.order_by("pk").values_list("pk", flat=True)[:batch])
            if not pks:
                break
            rows = base.filter(pk__in=pks).filter(pending).order_by("pk")
            if lock:
                rows = rows.select_for_update(skip_locked=True, of=("self",))
            rows = list(rows)
            progress.skipped_locked += len(pks) - len(rows)
            dirty = []
            for row in rows:
                try:
                    if _rework(row, ring):
                        dirty.append(row)
                except crypto.DecryptionError as exc:
                    progress.errors.append(f"{progress.model} #{row.pk}: {exc}")
            progress.done += _save(model, dirty, columns, progress)
        last = pks[-1]
        if out is not None:
            out(f"  {progress.model}: 已处理 {progress.done} 行（至主键 {last}）")
    return progress


def _save(model, rows, columns, progress) -> int:
    """Write a batch; if the unique blind index refuses it (the same person registered twice in the
    moment between a duplicate check and this batch), write row by row and report the collisions."""
    if not rows:
        return 0
    try:
        with transaction.atomic():
            model._base_manager.bulk_update(rows, columns)
        return len(rows)
    except IntegrityError:
        done = 0
        for row in rows:
            try:
                with transaction.atomic():
                    model._base_manager.bulk_update([row], columns)
                done += 1
            except IntegrityError:
                progress.errors.append(f"{progress.model} #{row.pk}: 盲索引与另一行重复（同一证件号码登记了两次），请核查")
        return done


def rotate_all(*, batch: int = 500, out=None) -> list[Progress]:
    return [rotate_model(m, batch=batch, out=out) for m in sealed_models()]


def status() -> list[dict]:
    """Per sealed model: rows per SM4 key version, rows still pending, rows per blind-index key version."""
    ring = keys.get_keyring()
    result = []
    for model in sealed_models():
        base = model._base_manager.all()
        by_version = dict(base.order_by().values("key_version").annotate(n=Count("pk"))
                          .values_list("key_version", "n"))
        indexes = {}
        for column in model.indexed_fields:
            filled = base.exclude(**{f"{column}__isnull": True}).exclude(**{column: ""})
            indexes[column] = {v: filled.filter(_index_version_q(column, v)).count() for v in sorted(ring.index_keys)}
        result.append({
            "label": model._meta.label_lower, "name": model._meta.verbose_name,
            "total": sum(by_version.values()), "by_version": dict(sorted(by_version.items())),
            "pending": base.filter(pending_q(model)).count(), "indexes": indexes,
        })
    return result


def _index_version_q(column: str, version: int) -> Q:
    if version == 1:
        return ~Q(**{f"{column}__startswith": "v"})
    return Q(**{f"{column}__startswith": f"v{version}:"})
