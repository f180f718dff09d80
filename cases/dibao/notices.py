"""Written notices to applicants (A4): issued, delivered, and by whom (the township)."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.scope import Action, can
from cases.dibao.deadlines import kind_param
from cases.dibao.models import Application, Notice
from cases.entitlements.models import Entitlement
from cases.households.models import Household
from core import audit, workdays
from core.models import Region


def issuer_for(township: Region) -> str:
    name = township.name
    return f"{name}办事处" if name.endswith("街道") else f"{name}人民政府"


def notice_issue(*, actor, household: Household, kind: str, reasons: str, application: Application | None = None,
                 entitlement: Entitlement | None = None, decided_on: dt.date | None = None,
                 effective_month: dt.date | None = None, category: str = "最低生活保障") -> Notice:
    if not reasons or not reasons.strip():
        raise ValidationError({"reason": "书面通知必须写明理由"})
    decided_on = decided_on or timezone.localdate()
    township_id = application.handling_township_id if application else household.township_id
    township = Region.objects.get(pk=township_id)
    notice = Notice(
        household=household, application=application, entitlement=entitlement, kind=kind,
        category=application.get_kind_display() if application else category, issuer_name=issuer_for(township),
        addressee=household.head_name, decided_on=decided_on,
        due_by=workdays.add_workdays(decided_on, kind_param(application.kind if application else "dibao",
                                                             "notice_workdays", decided_on)),
        reasons=reasons.strip(), effective_month=effective_month,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        county_id=household.county_id, township_id=household.township_id, village_id=household.village_id)
    with transaction.atomic():
        notice.save()
        audit.record(actor=actor, action="notice.issue", obj=notice, after=audit.snapshot(notice), reason=reasons)
    return notice


def notice_mark_delivered(*, actor, notice: Notice, delivered_on: dt.date) -> Notice:
    if not (can(actor, Action.CASE_PROCESS) or can(actor, Action.CASE_DECIDE)):
        raise ValidationError("只有乡镇（街道）工作人员可以登记送达")
    if actor.region_id not in (notice.township_id, getattr(notice.application, "handling_township_id", None)):
        raise ValidationError("该通知书不在您的办理范围内")
    if delivered_on < notice.decided_on or delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": "送达日期须在决定日期之后、今天之前"})
    with transaction.atomic():
        notice.delivered_on = delivered_on
        notice.save(update_fields=["delivered_on"])
        audit.record(actor=actor, action="notice.delivered", obj=notice, after={"delivered_on": delivered_on.isoformat()})
    return notice
