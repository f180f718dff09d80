"""The front door of the application procedure (§7): village drafts (代办) and refusals to accept (不予受理).

- `application_draft(*, actor, household, reason, kind="dibao", applicant=None) -> Application`
  village staff draft an application for a household of their own village (status `draft`); the township
  then accepts (受理), returns or refuses it through `workflow.transition` (accept_draft / return_draft /
  refuse_intake). The draft must be accepted within `dibao.draft_accept_workdays` working days (its deadline
  until it is accepted; acceptance starts the statutory time limit).
- `intake_refuse(*, actor, household, reason, kind="dibao", applicant=None) -> Application`
  the township refuses to accept an application at the desk: the refusal is recorded as an application in
  status `not_accepted` with the written reason and a printable 不予受理通知书, so it is counted per township
  and drawn into the county's spot-check population like every other decision (§5, §12).
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from accounts.scope import Action, can
from cases.dibao.models import Application, Notice
from cases.dibao.notices import notice_issue
from cases.dibao.workflow import APP_FIELDS, _log, flag_if_relative
from cases.households.models import Household, Person
from cases.supervision.services import refuse_if_relative
from core import audit, params, workdays
from core.models import Region

S = Application.Status


def _check(kind: str, reason: str, household: Household, applicant: Person | None) -> str:
    if kind not in Application.Kind.values:
        raise ValidationError({"kind": "未知的救助类别"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写申请理由"})
    if applicant is not None and applicant.household_id != household.pk:
        raise ValidationError({"applicant": "申请人须为本家庭成员"})
    return reason


def application_draft(*, actor, household: Household, reason: str, kind: str = Application.Kind.DIBAO,
                      applicant: Person | None = None) -> Application:
    if not can(actor, Action.CASE_CHANGE) or actor.region.level != Region.Level.VILLAGE:
        raise ValidationError("只有村（社区）专干可以代办申请")
    if household.village_id != actor.region_id:
        raise ValidationError("只能为本村（社区）的家庭代办申请")
    reason = _check(kind, reason, household, applicant)
    refuse_if_relative(actor=actor, household_id=household.pk)
    today = timezone.localdate()
    township = Region.objects.get(pk=household.township_id)
    app = Application(
        kind=kind, household=household, applicant=applicant, handling_township=township,
        handling_county_id=township.pk[:6], status=S.DRAFT, reason=reason, accepted_on=today,
        deadline=workdays.add_workdays(today, params.get("discovery.draft_accept_workdays", today)),
        registered_by=actor, county_id=household.county_id, township_id=household.township_id,
        village_id=household.village_id)
    try:
        with transaction.atomic():
            app.save()
            _log(app, actor, "draft", "村级代办申请", "", reason, after=audit.snapshot(app, APP_FIELDS))
            flag_if_relative(app)
    except IntegrityError:
        raise ValidationError("该家庭已有一件同类申请正在办理中（含待受理的代办申请）") from None
    return app


def intake_refuse(*, actor, household: Household, reason: str, kind: str = Application.Kind.DIBAO,
                  applicant: Person | None = None) -> Application:
    if not can(actor, Action.CASE_PROCESS) or actor.region.level != Region.Level.TOWNSHIP:
        raise ValidationError("只有乡镇（街道）经办人可以作出不予受理决定")
    if household.township_id != actor.region_id:
        raise ValidationError("只能对本乡镇（街道）户籍家庭的申请作出不予受理决定")
    reason = _check(kind, reason, household, applicant)
    if len(reason) < 6:
        raise ValidationError({"reason": "不予受理须书面写明具体理由（至少6个字）"})
    refuse_if_relative(actor=actor, household_id=household.pk)
    today = timezone.localdate()
    app = Application(
        kind=kind, household=household, applicant=applicant, handling_township=actor.region,
        handling_county_id=actor.region_id[:6], status=S.NOT_ACCEPTED, reason=reason, accepted_on=today,
        deadline=today, decided_on=today, decided_by=actor, decision_reason=reason, registered_by=actor,
        county_id=household.county_id, township_id=household.township_id, village_id=household.village_id)
    with transaction.atomic():
        app.save()
        _log(app, actor, "refuse_intake", "不予受理", "", reason, after=audit.snapshot(app, APP_FIELDS))
        notice_issue(actor=actor, household=household, kind=Notice.Kind.NOT_ACCEPTED, reasons=reason,
                     application=app, decided_on=today)
    return app


def refusal_counts(*, user, first=None, last=None) -> list[dict]:
    """不予受理 per handling township in the user's reach (optionally within a date range), most first."""
    qs = Application.objects.restrict(user, Action.CASE_VIEW).filter(status=S.NOT_ACCEPTED)
    if first:
        qs = qs.filter(decided_on__gte=first)
    if last:
        qs = qs.filter(decided_on__lte=last)
    rows = qs.values("handling_township_id", "handling_township__name").annotate(n=Count("id")).order_by("-n")
    return [{"township": r["handling_township_id"], "name": r["handling_township__name"], "count": r["n"]}
            for r in rows]
