"""The scheduled side of the payment cycle: drafting on the 1st, reminders and escalation (core.Alert)."""
from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from cases.models import Entitlement
from core import workdays
from core.models import Alert, Region
from core.months import first_of_month
from funds import deadlines, services
from funds.models import PaymentBatch

logger = logging.getLogger(__name__)
CITY = "410800"
REMIND_WORKDAYS = 2


def draft_all(month: dt.date) -> int:
    """Draft the regular batch of every county that has payable entitlements and no batch yet."""
    counties = set(Entitlement.objects.active_in(month).values_list("county_id", flat=True).distinct())
    done = set(PaymentBatch.objects.live().filter(month=month, kind=PaymentBatch.Kind.REGULAR)
               .values_list("county_id", flat=True))
    created = 0
    for county in Region.objects.filter(code__in=counties - done).order_by("code"):
        try:
            services.batch_draft(actor=None, county=county, month=month)
            created += 1
        except (ValidationError, IntegrityError) as exc:  # one county's problem must not stop the others
            logger.warning("自动生成 %s %s 发放批次失败：%s", county.code, month, exc)
            _alert(county.code, "county_officer", Alert.Level.WARNING, f"draft-failed:{county.code}:{month:%Y%m}",
                   f"{county.name}{month:%Y年%m月}发放批次自动生成失败：{'；'.join(getattr(exc, 'messages', [str(exc)]))}",
                   reverse("funds:batch_list"))
    return created


def _alert(region: str, role: str, level: str, key: str, message: str, link: str) -> bool:
    _, created = Alert.objects.get_or_create(dedupe_key=key[:200], defaults={
        "region_code": region, "role": role, "level": level, "kind": "payment_deadline", "message": message[:300],
        "link": link})
    return created


def remind_and_escalate(today: dt.date) -> int:
    """For the current month's cycle: a reminder two working days before each step's deadline to whoever
    must act; once a deadline has passed with the step undone, an overdue alert to the county and the city."""
    month = first_of_month(today)
    due = deadlines.schedule(month)
    batches = {b.county_id: b for b in PaymentBatch.objects.live().filter(month=month, kind=PaymentBatch.Kind.REGULAR)
               .select_related("county")}
    counties = set(batches) | set(Entitlement.objects.active_in(month).values_list("county_id", flat=True).distinct())
    names = dict(Region.objects.filter(code__in=counties).values_list("code", "name"))
    sent = 0
    for code in sorted(counties):
        batch = batches.get(code)
        link = reverse("funds:batch_detail", args=[batch.pk]) if batch else reverse("funds:batch_list")
        for st in deadlines.states(batch, today, due):
            if st.done_on:
                continue
            step, name = st.step, names.get(code, code)
            left = workdays.workdays_between(today, st.due)
            if today < st.due and left == REMIND_WORKDAYS:
                sent += _alert(code, step.role, Alert.Level.WARNING, f"pay-remind:{code}:{month:%Y%m}:{step.key}",
                               f"{name}{month:%Y年%m月}“{step.label}”将于{st.due:%m月%d日}到期（还有{left}个工作日）", link)
            elif today > st.due:
                msg = f"{name}{month:%Y年%m月}“{step.label}”已逾期（截止{st.due:%m月%d日}），请督办"
                sent += _alert(code, step.role, Alert.Level.OVERDUE, f"pay-overdue:{code}:{month:%Y%m}:{step.key}", msg, link)
                sent += _alert(CITY, "city_admin", Alert.Level.OVERDUE,
                               f"pay-overdue-city:{code}:{month:%Y%m}:{step.key}", msg, link)
    return sent
