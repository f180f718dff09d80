"""Writes of the reports floor: the nightly summary of the indicators (reports.models.IndicatorSnapshot)."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from core import audit
from core.indicators import Ask
from core.models import Region
from core.months import first_of_month
from reports import registry
from reports.models import IndicatorSnapshot


def _reader(city: Region) -> User:
    """An unsaved city-level reader: the summary counts every case of a region, as any user whose region holds
    that region sees it (the dashboard only uses a row for a region inside the asking user's own region)."""
    # id 0 is never a real account: explicit grants looked up for it are none
    return User(id=0, username="summary", role=Role.CITY_ADMIN, region=city, is_active=True)


def snapshot_build(*, month: dt.date, today: dt.date | None = None) -> int:
    """Compute every indicator of a closed month for the city and each county, replacing the month's rows."""
    today = today or timezone.localdate()
    month = first_of_month(month)
    if month >= first_of_month(today):
        return 0  # the running month is always computed live
    city = Region.objects.filter(level=Region.Level.CITY).order_by("code").first()
    if city is None:
        return 0
    reader = _reader(city)
    regions = [city, *Region.objects.filter(level=Region.Level.COUNTY).order_by("code")]
    rows = []
    for ind in registry.indicators():
        if ind.code in SKIP:
            continue
        for region in regions:
            value = ind.measure(Ask(user=reader, region=region, month=month, today=today))
            rows.append(IndicatorSnapshot(month=month, code=ind.code, region=region.code, value=value))
    with transaction.atomic():
        IndicatorSnapshot.objects.filter(month=month).delete()
        IndicatorSnapshot.objects.bulk_create(rows)
        audit.record(actor=None, action="reports.snapshot", object_type="reports.indicatorsnapshot",
                     object_repr=f"{month:%Y年%m月}三个兜底指标汇总", after={"rows": len(rows)},
                     category=audit.Category.ADMIN, region=("", "", ""))
    return len(rows)


# indicators whose rows need a role the city reader lacks (none today; an app may add one)
SKIP: set[str] = set()
