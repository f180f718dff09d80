"""The system-wide audit trail. Every service records its state changes here, inside its transaction."""
from __future__ import annotations

import datetime as dt
import decimal
import uuid

from django.db import models, transaction

from core import auditchain, context
from core.models import AuditEvent

Category = AuditEvent.Category


def _jsonable(value):
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return "<密文>"
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """A JSON-able picture of a row; binary (encrypted) columns never appear."""
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if isinstance(field, models.BinaryField):
            continue
        data[field.name] = _jsonable(getattr(obj, field.attname))
    return data


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _region_of(obj) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    county = getattr(obj, "county_id", "") or ""
    township = getattr(obj, "township_id", "") or ""
    village = getattr(obj, "village_id", "") or ""
    return county, township, village


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    category: str = Category.BUSINESS,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    region: tuple[str, str, str] | None = None,
) -> AuditEvent:
    county, township, village = region if region is not None else _region_of(obj)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        actor=actor if authenticated else None,
        actor_username=getattr(actor, "username", "") if authenticated else "",
        actor_role=getattr(actor, "role", "") if authenticated else "",
        category=category,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        county_code=county,
        township_code=township,
        village_code=village,
        before=before,
        after=after,
        reason=reason,
        request_id=context.request_id.get(),
        ip=context.client_ip.get(),
    )
    with transaction.atomic():
        auditchain.lock()
        auditchain.seal([event])
        event.save(force_insert=True)
    return event


def record_export(
    *,
    actor,
    what: str,
    filters: dict | None = None,
    rows: int,
    fmt: str = "",
    full_numbers: bool = False,
    reason: str = "",
    region: tuple[str, str, str] | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Every export (spreadsheet, bank file, printed list) is audited: who, what, which filter, how many rows.

    `what`: a short Chinese description ("3月低保发放银行文件"); `filters`: the filter as the user gave
    it (never a full ID/card number — pass masked values); `full_numbers`: whether the file carries full
    ID or card numbers (bank files by necessity). Call it inside the transaction that builds the file.
    """
    after = {"what": what, "filters": {k: _jsonable(v) for k, v in (filters or {}).items()}, "rows": int(rows),
             "format": fmt, "full_numbers": bool(full_numbers)}
    if region is None:
        region = _region_of_user(actor)
    return record(actor=actor, action="export", category=Category.ACCESS, reason=reason,
                  object_type=object_type, object_id=object_id, object_repr=what[:200], after=after,
                  region=region or ("", "", ""))


def _region_of_user(user) -> tuple[str, str, str]:
    """The exporting user's own region as audit codes (the city level has no county code)."""
    code = getattr(user, "region_id", "") or ""
    if len(code) < 6 or (len(code) == 6 and code.endswith("00")):
        return "", "", ""
    return code[:6], code[:9] if len(code) >= 9 else "", code if len(code) == 12 else ""
