"""Tamper evidence of the audit trail (issue #15): each entry carries the SHA-256 of its own content and of
the previous entry's hash, so an entry changed, deleted or slipped in shows as a break.

Writers are serialised: `seal` takes a transaction-scoped PostgreSQL advisory lock (SQLite serialises writes
anyway), reads the newest hash, and chains the new entries; the lock is held until the writer's transaction
ends, so ids and the chain agree. `verify` walks the trail in id order (`manage.py verify_audit`, the nightly
task `core.tasks.verify_audit_chain`, which raises an Alert for the security administrator on a break)."""
from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from dataclasses import dataclass

from django.db import connection

from core.models import AuditEvent

LOCK_KEY = 0x6A7A_A0D1  # pg_advisory_xact_lock key of the audit chain
FIELDS = ("actor_id", "actor_username", "actor_role", "category", "action", "object_type", "object_id",
          "object_repr", "county_code", "township_code", "village_code", "before", "after", "reason",
          "request_id")


def _canonical(event: AuditEvent) -> str:
    at = event.at.astimezone(dt.UTC).isoformat(timespec="microseconds") if event.at else ""
    ip = str(ipaddress.ip_address(event.ip)) if event.ip else ""
    data = {name: getattr(event, name) for name in FIELDS}
    data.update(at=at, ip=ip)
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def digest(event: AuditEvent, prev: str) -> str:
    return hashlib.sha256((prev + "\n" + _canonical(event)).encode("utf-8")).hexdigest()


def lock() -> None:
    """Serialise chain writers until the current transaction ends (call inside transaction.atomic)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def last_hash() -> str:
    return AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""


def seal(events: list[AuditEvent]) -> None:
    """Chain unsaved events (in the order they will be inserted). Call under `lock()`."""
    prev = last_hash()
    for event in events:
        event.prev_hash = prev
        event.hash = prev = digest(event, prev)


@dataclass
class Result:
    checked: int
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify(chunk: int = 5000) -> Result:
    """Walk every entry in id order; the first entry whose link or content does not match is the break."""
    prev, checked, last_id = "", 0, 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:chunk])
        if not rows:
            return Result(checked)
        for event in rows:
            if event.prev_hash != prev:
                return Result(checked, event.id, "与上一条记录的链接不符（上一条被删除、插入或修改）")
            if event.hash != digest(event, prev):
                return Result(checked, event.id, "记录内容与其哈希不符（本条被修改）")
            prev, last_id = event.hash, event.id
            checked += 1
