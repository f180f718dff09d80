"""临时救助 (一般程序) applications in the one state machine: a one-off grant, no entitlement."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from cases.dibao import kinds
from cases.dibao.models import Application
from cases.temporary_aid.models import TemporaryAid
from cases.temporary_aid.services import full_procedure_cap


class FullAssessment:
    """What the state machine's assessor returns for kind 临时救助 (one-off, capped)."""

    def __init__(self, aid: TemporaryAid, cap: Decimal):
        self.eligible = aid.amount <= cap
        self.persons_covered = aid.household.members.count() or 1
        self.monthly_amount = aid.amount
        self.unstable_income = False
        self.reasons = [] if self.eligible else [f"申请金额{aid.amount}元超过上限{cap}元"]
        self.lines = [{"label": "困难情形", "amount": "", "note": aid.cause[:60], "counted": True},
                      {"label": "申请救助金额（一次性）", "amount": str(aid.amount), "note": aid.get_aid_type_display(),
                       "counted": True},
                      {"label": "金额上限", "amount": str(cap), "note": "月低保标准 × 参数倍数", "counted": True}]

    def to_json(self) -> dict:
        return {"eligible": self.eligible, "persons_covered": self.persons_covered,
                "monthly_amount": str(self.monthly_amount), "reasons": self.reasons, "lines": self.lines,
                "unstable_income": False, "kind": "temporary_aid"}


def assess_application(application, on: dt.date | None = None) -> FullAssessment:
    aid = TemporaryAid.objects.select_related("household").get(application=application)
    return FullAssessment(aid, full_procedure_cap(aid.household, on or timezone.localdate()))


def on_confirmed(application, entitlement) -> None:
    """The leader's confirmation grants the one-off aid: paid once through the county's one-off payment batch
    (funds, kind one_off), never from the reserve fund; counted as granted from the decision date."""
    TemporaryAid.objects.filter(application=application).update(
        status=TemporaryAid.Status.COMPLETED, granted_by=application.decided_by, granted_on=application.decided_on)


def on_refused(application) -> None:
    TemporaryAid.objects.filter(application=application).update(status=TemporaryAid.Status.REFUSED)


def register() -> None:
    """临时救助 (一般程序): a one-off grant, no entitlement."""
    kinds.register(Application.Kind.TEMPORARY_AID, assess=assess_application, on_confirmed=on_confirmed,
                   on_refused=on_refused, one_off=True)
