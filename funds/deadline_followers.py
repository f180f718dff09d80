"""Payment batches not yet paid: their step deadlines are computed from the calendar (funds.deadlines), so a
calendar change moves them by itself; this says which moved (core.followers)."""
from __future__ import annotations

import datetime as dt

from funds import deadlines
from funds.models import PaymentBatch

OPEN = ["draft", "finalised", "funds_requested", "transferred", "sent_to_bank"]


def batches(day: dt.date):
    rows = list(PaymentBatch.objects.filter(status__in=OPEN, month__gte=(day - dt.timedelta(days=62)).replace(day=1),
                                            month__lte=day))
    before = deadlines.schedules([b.month for b in rows])

    def finish(actor) -> list[str]:
        after = deadlines.schedules([b.month for b in rows])
        labels = {s.key: s.label for s in deadlines.STEPS}
        return [f"发放批次 {b.number} {labels[key]} {before[b.month][key]:%Y-%m-%d} → {due:%Y-%m-%d}"
                for b in rows for key, due in after[b.month].items() if due != before[b.month][key]]
    return finish


FOLLOWERS = [batches]
