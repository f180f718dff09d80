"""Record and read the heartbeats of beat, the worker and the backup (ops.models.Heartbeat).

Each write is one short UPDATE (or INSERT the first time) in its own transaction, so it never holds
SQLite's write lock for long and never fails the work it reports on.
"""
from __future__ import annotations

import logging

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ops.models import Heartbeat

logger = logging.getLogger(__name__)


def touch(name: str, **detail) -> None:
    now = timezone.now()
    try:
        with transaction.atomic():
            if not Heartbeat.objects.filter(name=name).update(at=now, count=F("count") + 1, detail=detail):
                Heartbeat.objects.create(name=name, at=now, count=1, detail=detail)
    except IntegrityError:  # created by another process at the same moment
        Heartbeat.objects.filter(name=name).update(at=now, count=F("count") + 1, detail=detail)
    except DatabaseError:
        logger.exception("heartbeat %s not recorded", name)


def read() -> dict[str, Heartbeat]:
    return {h.name: h for h in Heartbeat.objects.all()}
