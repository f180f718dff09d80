"""Open complaints' 办理期限 (working days from receipt) follow the calendar (core.followers)."""
from __future__ import annotations

import datetime as dt

from audit.models import Complaint
from core import audit, params, workdays


def complaints(day: dt.date):
    def finish(actor) -> list[str]:
        lines = []
        for c in (Complaint.objects.filter(status__in=["registered", "handling"], received_on__lt=day,
                                           due_on__gte=day - dt.timedelta(days=1)).select_for_update()):
            new = workdays.add_workdays(c.received_on, params.get("complaint.due_workdays", c.received_on))
            if new != c.due_on:
                old, c.due_on = c.due_on, new
                c.save(update_fields=["due_on"])
                audit.record(actor=actor, action="deadline.recomputed", obj=c, before={"due_on": old.isoformat()},
                             after={"due_on": new.isoformat()}, reason="节假日安排调整")
                lines.append(f"{c.number} 办理期限 {old:%Y-%m-%d} → {new:%Y-%m-%d}")
        return lines
    return finish


FOLLOWERS = [complaints]
