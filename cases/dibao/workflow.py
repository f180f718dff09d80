"""The application state machine (低保 now; 特困 / 临时救助 reuse it), decisions, notices, re-checks and exit.

Public API (all keyword-only, `actor` first; each checks role + scope, validates, saves and audits in one
transaction and raises django ValidationError with a Chinese message when refused):

- `application_accept(*, actor, household, reason, kind="dibao", applicant=None, handling_township=None,
  via_residence=False, residence_permit="", single_person=None, accepted_on=None, subcategory="",
  source="application", source_note="", at_emergency_place=False) -> Application`
  受理. kind: dibao, tekun, temporary_aid, dibao_edge, rigid_expense, monitor (防返贫监测: `subcategory` names the
  monitor category, `source`/`source_note` where it came from; the kind's `check_accept` hook refuses duplicates).
  `at_emergency_place` (临时救助 only): the actor's township handles it as the place of the emergency. The handling township is the household's (hukou) township unless `via_residence` names the
  居住地 township (then `residence_permit` is required). Deadline = accepted_on + 25 working days.
- `transition(*, actor, application, action, reason="", **data) -> Application` — THE one transition
  function. `action` is a key of `ACTIONS`; `ACTIONS[action].sources` are the states it may leave from.
    start_investigation              accepted → investigating                     (caseworker)
    record_investigation             accepted/investigating → investigated        (caseworker)
        data: investigated_on, investigator_1, investigator_2, findings, verification_result,
              single_person (Person or None); runs the means test and stores it on the application
    record_review                    investigated → reviewed   民主评议 (optional) (caseworker)
        data: review_on, review_result
    meeting_decide                   investigated/reviewed → publicity | awaiting_decision
        data: meeting (Meeting), decision ("approve"/"refuse"), note        (caseworker; use meeting_record)
    object                           publicity → investigating   (公示异议; reason = the objection)
    close_publicity                  publicity → awaiting_decision (after the publicity days)
    confirm                          awaiting_decision → confirmed (leader; creates the Entitlement)
    refuse                           awaiting_decision → refused (leader; reason; issues the 不予确认通知书)
    withdraw                         any open state → withdrawn (caseworker; reason)
    extend                           any open state, state unchanged: deadline 25 → 40 working days, once
    accept_draft                     draft → accepted  受理 a village draft (caseworker; the time limit starts now)
    return_draft                     draft → returned  退回 to the village (caseworker; reason)
    refuse_intake                    draft → not_accepted  不予受理 (caseworker; reason; 不予受理通知书)
  Drafts (代办) are created by `cases.dibao.intake.application_draft`; a refusal at the desk without a draft by
  `cases.dibao.intake.intake_refuse` (both record the application row, so refusals are counted and sampled).
  Checks in order: known action, role (`Action.CASE_PROCESS` / `Action.CASE_DECIDE`), reach (the actor's
  township must be the handling township; the hukou township only reads), current state, separation of
  duties (the user who registered the case cannot confirm or refuse it), the action's own data.
The rest of the procedure lives beside this module in `cases.dibao`:
- `meetings.meeting_record(*, actor, township, held_on, chair, attendees, decisions, place="", note="") -> Meeting`
  one 联席会议 deciding several cases: `decisions` = [(application, "approve"|"refuse", note), ...].
- `assessment.application_assess(application, on=None) -> means_test.Assessment` (pure read; no save).
- `notices.notice_issue(...)`, `notices.notice_mark_delivered(*, actor, notice, delivered_on)`.
- `rechecks.recheck_list_month(*, month) -> int` — the monthly worklist (Celery beat: cases.tasks.recheck_list_month).
- `rechecks.recheck_complete(*, actor, recheck, outcome, note, new_amount=None, phase_out_months=None) -> Recheck`
  outcome: "continue" | "adjust" (new_amount, or the fresh assessment's) | "phase_out" (渐退期 N months,
  default param dibao.phase_out_months, then exit; the termination notice is issued now) | "exit".
- `rechecks.entitlement_end(*, actor, entitlement, reason, effective_month=None) -> Notice` — ends an entitlement
  after investigation with a 终止通知书 (monitoring's data clues call this after a human has verified;
  there is no exit from data alone). `effective_month` = the last month paid (default: this month).
- `rechecks.phase_out_expire(*, on=None) -> int` — flips 渐退期 entitlements whose end_month has passed to ended.
- `deadlines.deadline_info(application, today=None) -> DeadlineInfo` (state "overdue" / "near" / "ok" / "done").

Extending to 特困 / 临时救助 (same machine, `Application.kind`), through `kinds.register(kind, ...)`, which
those rooms call from CasesConfig.ready (this machine never imports them):
- `ASSESSORS[kind] = fn(application, on) -> result` with `.eligible .persons_covered .monthly_amount .reasons
  .unstable_income .to_json()` (default: the 低保 means test, `application_assess`); record_investigation calls it.
- `ENTITLEMENT_CATEGORY[kind] = Entitlement.Category...` or pass `category=` to transition(action="confirm").
- Time limits and publicity days come from `<prefix>.process_workdays`, `<prefix>.process_workdays_extended`,
  `<prefix>.publicity_days`, `<prefix>.notice_workdays` when those params exist (prefix per KIND_PARAM_PREFIX),
  else from the dibao.* params.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.scope import Action, can, handles
from cases.dibao import sole_decider
from cases.dibao.assessment import application_assess
from cases.dibao.deadlines import compute_deadline, kind_param
from cases.dibao.kinds import (
    ACCEPT_CHECKS,
    ASSESSORS,
    CATEGORY_RESOLVERS,
    ENTITLEMENT_CATEGORY,
    ON_CONFIRMED,
    ON_REFUSED,
    ONE_OFF_KINDS,
)
from cases.dibao.models import Application, ApplicationEvent, Meeting, Notice
from cases.dibao.notices import notice_issue
from cases.entitlements.cycles import recheck_months
from cases.entitlements.models import Entitlement
from cases.households.models import Household, Person
from cases.supervision.services import must_recuse, refuse_if_relative, relative_links_for_household
from core import audit, idnumbers
from core.models import Alert, Region
from core.months import add_months, first_of_month

S = Application.Status


@dataclass(frozen=True)
class Spec:
    label: str
    sources: tuple
    target: str | None  # None: decided inside the handler (meeting_decide) or state unchanged (extend)
    permission: str
    reason_required: bool = False


ACTIONS: dict[str, Spec] = {
    "start_investigation": Spec("开始调查核对", (S.ACCEPTED,), S.INVESTIGATING, Action.CASE_PROCESS),
    "record_investigation": Spec("登记入户调查和核对结果", (S.ACCEPTED, S.INVESTIGATING), S.INVESTIGATED,
                                 Action.CASE_PROCESS),
    "record_review": Spec("登记民主评议", (S.INVESTIGATED,), S.REVIEWED, Action.CASE_PROCESS),
    "meeting_decide": Spec("集体研究", (S.INVESTIGATED, S.REVIEWED), None, Action.CASE_PROCESS),
    "object": Spec("公示异议，退回调查", (S.PUBLICITY,), S.INVESTIGATING, Action.CASE_PROCESS, True),
    "close_publicity": Spec("公示期满，提交审核确认", (S.PUBLICITY,), S.AWAITING_DECISION, Action.CASE_PROCESS),
    "confirm": Spec("审核确认", (S.AWAITING_DECISION,), S.CONFIRMED, Action.CASE_DECIDE),
    "refuse": Spec("不予确认", (S.AWAITING_DECISION,), S.REFUSED, Action.CASE_DECIDE, True),
    "withdraw": Spec("申请人撤回申请", (S.ACCEPTED, S.INVESTIGATING, S.INVESTIGATED, S.REVIEWED, S.PUBLICITY,
                                 S.AWAITING_DECISION), S.WITHDRAWN, Action.CASE_PROCESS, True),
    "extend": Spec("延长办理期限", (S.ACCEPTED, S.INVESTIGATING, S.INVESTIGATED, S.REVIEWED, S.PUBLICITY,
                               S.AWAITING_DECISION), None, Action.CASE_PROCESS, True),
    "accept_draft": Spec("受理村级代办申请", (S.DRAFT,), S.ACCEPTED, Action.CASE_PROCESS),
    "return_draft": Spec("退回村级补正", (S.DRAFT,), S.RETURNED, Action.CASE_PROCESS, True),
    "refuse_intake": Spec("不予受理", (S.DRAFT,), S.NOT_ACCEPTED, Action.CASE_PROCESS, True),
}


APP_FIELDS = ["status", "deadline", "extended", "investigated_on", "investigator_1", "investigator_2",
              "assessed_eligible", "persons_covered", "monthly_amount", "review_on", "meeting_decision",
              "publicity_start", "publicity_end", "decided_on", "decided_by", "entitlement"]


def _actor_name(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "系统"
    return str(actor)


def _log(application, actor, action, label, before_status, note="", *, before=None, after=None):
    ApplicationEvent.objects.create(
        application=application, action=action, label=label, from_status=before_status,
        to_status=application.status, note=note,
        actor=actor if getattr(actor, "is_authenticated", False) else None, actor_name=_actor_name(actor))
    audit.record(actor=actor, action=f"application.{action}", obj=application, before=before, after=after,
                 reason=note)


def _may_handle(actor, application: Application, permission: str) -> None:
    if permission == Action.CASE_DECIDE and sole_decider.county_may_decide(actor, application):
        refuse_if_relative(actor=actor, household_id=application.household_id)
        return
    if not can(actor, permission):
        raise ValidationError({
            Action.CASE_PROCESS: "只有乡镇（街道）经办人可以办理此环节",
            Action.CASE_DECIDE: "只有乡镇（街道）审批人可以审核确认",
        }.get(permission, "您的角色无权进行此操作"))
    if not handles(actor, permission, application, application.handling_township_id):
        raise ValidationError(f"该申请由{application.handling_township.name}受理办理，您只能查看，不能办理")
    refuse_if_relative(actor=actor, household_id=application.household_id)


def _dated(value, field_label) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not value:
        raise ValidationError({field_label[0]: f"请填写{field_label[1]}"})
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field_label[0]: f"{field_label[1]}格式应为 YYYY-MM-DD"}) from None


def application_accept(
    *, actor, household: Household, reason: str, kind: str = Application.Kind.DIBAO, applicant: Person | None = None,
    handling_township: Region | None = None, via_residence: bool = False, residence_permit: str = "",
    single_person: Person | None = None, accepted_on: dt.date | None = None, subcategory: str = "",
    source: str = Application.Source.APPLICATION, source_note: str = "", at_emergency_place: bool = False,
) -> Application:
    if not can(actor, Action.CASE_CHANGE) or actor.region.level != Region.Level.TOWNSHIP:
        raise ValidationError("只有乡镇（街道）工作人员可以受理申请")
    if kind not in Application.Kind.values:
        raise ValidationError({"kind": "未知的救助类别"})
    if not reason or not reason.strip():
        raise ValidationError({"reason": "请填写申请理由"})
    if at_emergency_place:
        # 急难发生地 (§4): the caller (cases.temporary_aid) has checked the county's switch and the place.
        if kind != Application.Kind.TEMPORARY_AID:
            raise ValidationError("只有临时救助可以在急难发生地受理")
        handling_township = actor.region
    elif via_residence:
        handling_township = handling_township or actor.region
        if handling_township.pk == household.township_id:
            raise ValidationError({"via_residence": "居住地与户籍地为同一乡镇，无需按居住地申请"})
        if not residence_permit.strip():
            raise ValidationError({"residence_permit": "居住地申请须登记居住证信息"})
    else:
        handling_township = handling_township or Region.objects.get(pk=household.township_id)
        if handling_township.pk != household.township_id:
            raise ValidationError({"handling_township": "非户籍地乡镇受理须选择“居住地申请”并登记居住证"})
    if handling_township.level != Region.Level.TOWNSHIP:
        raise ValidationError({"handling_township": "受理机关须为乡镇（街道）"})
    if actor.region_id != handling_township.pk:
        raise ValidationError("只能在本乡镇（街道）受理申请")
    refuse_if_relative(actor=actor, household_id=household.pk)
    for person in (applicant, single_person):
        if person is not None and person.household_id != household.pk:
            raise ValidationError("申请人或单人户成员须为本家庭成员")
    if kind == Application.Kind.DIBAO and household.entitlements.open().filter(
            category=Entitlement.Category.DIBAO).exists():
        raise ValidationError("该家庭已在享受低保，无需重复申请")
    if source not in Application.Source.values:
        raise ValidationError({"source": "请选择来源"})
    subcategory, source_note = (subcategory or "").strip(), (source_note or "").strip()
    if kind in ACCEPT_CHECKS:
        ACCEPT_CHECKS[kind](household=household, subcategory=subcategory, source=source, source_note=source_note)
    accepted_on = accepted_on or timezone.localdate()
    app = Application(
        kind=kind, household=household, applicant=applicant, handling_township=handling_township,
        handling_county_id=handling_township.pk[:6], via_residence=via_residence,
        residence_permit=residence_permit.strip(), reason=reason.strip(), single_person=single_person,
        subcategory=subcategory, source=source, source_note=source_note,
        accepted_on=accepted_on, deadline=compute_deadline(accepted_on, kind=kind), registered_by=actor,
        county_id=household.county_id, township_id=household.township_id, village_id=household.village_id,
    )
    app.full_clean(exclude=["registered_by", "household", "county", "township", "village", "handling_township",
                            "handling_county", "applicant", "single_person"])
    try:
        with transaction.atomic():
            app.save()
            _log(app, actor, "accept", "受理申请", "", reason.strip(), after=audit.snapshot(app, APP_FIELDS))
            flag_if_relative(app)
    except IntegrityError:
        raise ValidationError("该家庭已有一件同类申请正在办理中") from None
    return app


def residence_household_lookup(*, actor, id_number: str) -> Household:
    """居住地申请: find the applicant's (hukou) household city-wide by the full ID number, exact match only.

    Only township staff who may accept applications may look up; every lookup is audited. Returns the
    household or raises ValidationError (never lists or searches by name)."""

    if not (can(actor, Action.CASE_PROCESS) or can(actor, Action.CASE_DECIDE)) or \
            actor.region.level != Region.Level.TOWNSHIP:
        raise ValidationError("只有乡镇（街道）工作人员可以办理居住地申请")
    value = idnumbers.normalize_for_lookup(id_number or "")
    if not value:
        idnumbers.parse(id_number or "")  # raises the precise Chinese reason
        raise ValidationError({"id_number": "身份证号码格式不正确"})
    person = Person.objects.filter(id_index=idnumbers.index(value)).select_related("household").first()
    audit.record(actor=actor, action="household.residence_lookup", obj=person.household if person else None,
                 object_type="cases.household", after={"found": person is not None},
                 reason="居住地申请核对户籍家庭", category=audit.Category.ACCESS,
                 region=None if person else (actor.region_id[:6], actor.region_id, ""))
    if person is None:
        raise ValidationError({"id_number": "本市家庭档案中没有该身份证号码，请先由户籍地登记家庭信息"})
    if person.household.township_id == actor.region_id:
        raise ValidationError({"id_number": "该家庭户籍在本乡镇，请直接在家庭档案中受理"})
    return person.household


def transition(*, actor, application: Application, action: str, reason: str = "", **data) -> Application:
    spec = ACTIONS.get(action)
    if spec is None:
        raise ValidationError(f"未知的操作“{action}”")
    _may_handle(actor, application, spec.permission)
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("household", "handling_township").get(
            pk=application.pk)
        if app.status not in spec.sources:
            allowed = "、".join(str(S(s).label) for s in spec.sources)
            raise ValidationError(
                f"当前状态为“{app.get_status_display()}”，不能进行“{spec.label}”（仅限{allowed}的申请）")
        if action in ("confirm", "refuse") and app.registered_by_id == actor.pk:
            raise ValidationError(sole_decider.registrar_message(app))
        reason = (reason or "").strip()
        if spec.reason_required and not reason:
            raise ValidationError({"reason": f"“{spec.label}”必须填写原因"})
        before = audit.snapshot(app, APP_FIELDS)
        before_status = app.status
        handler = _HANDLERS.get(action)
        note = handler(actor, app, reason, data) if handler else reason
        if spec.target is not None:
            app.status = spec.target
        app.updated_at = timezone.now()
        app.full_clean(exclude=["registered_by", "household", "county", "township", "village",
                                "handling_township", "handling_county", "applicant", "single_person", "meeting",
                                "decided_by", "entitlement"])
        app.save()
        b, a = audit.diff(before, audit.snapshot(app, APP_FIELDS))
        _log(app, actor, action, spec.label, before_status, note or reason, before=b, after=a)
        if action == "refuse":
            notice_issue(actor=actor, household=app.household, kind=Notice.Kind.REFUSAL, reasons=reason,
                         application=app, decided_on=app.decided_on)
        if action == "refuse_intake":
            notice_issue(actor=actor, household=app.household, kind=Notice.Kind.NOT_ACCEPTED, reasons=reason,
                         application=app, decided_on=app.decided_on)
    application.__dict__.update({k: v for k, v in app.__dict__.items() if not k.startswith("_")})
    return app


def _h_record_investigation(actor, app, reason, data):
    app.investigated_on = _dated(data.get("investigated_on"), ("investigated_on", "入户调查日期"))
    if app.investigated_on > timezone.localdate():
        raise ValidationError({"investigated_on": "入户调查日期不能晚于今天"})
    if app.investigated_on < app.accepted_on:
        raise ValidationError({"investigated_on": "入户调查日期不能早于受理日期"})
    one, two = (data.get("investigator_1") or "").strip(), (data.get("investigator_2") or "").strip()
    if not one or not two:
        raise ValidationError({"investigator_2": "入户调查须由两名工作人员进行，请填写两名调查人"})
    if one == two:
        raise ValidationError({"investigator_2": "两名调查人不能是同一人"})
    findings = (data.get("findings") or "").strip()
    verification = (data.get("verification_result") or "").strip()
    if not findings:
        raise ValidationError({"findings": "请填写入户调查情况"})
    if not verification:
        raise ValidationError({"verification_result": "请填写家庭经济状况核对结果（未经数据核对不得纳入）"})
    app.investigator_1, app.investigator_2, app.findings, app.verification_result = one, two, findings, verification
    if "single_person" in data:
        person = data["single_person"]
        if person is not None and person.household_id != app.household_id:
            raise ValidationError({"single_person": "单人户成员须为本家庭成员"})
        app.single_person = person
    result = ASSESSORS.get(app.kind, application_assess)(app, app.investigated_on)
    app.assessment = result.to_json()
    app.assessed_eligible = result.eligible
    app.persons_covered = result.persons_covered or None
    app.monthly_amount = result.monthly_amount if result.eligible else None
    verdict = f"测算符合条件，月救助金额{result.monthly_amount}元" if result.eligible else \
        "测算不符合条件：" + "；".join(result.reasons)
    return f"调查人：{one}、{two}。{verdict}"


def _h_record_review(actor, app, reason, data):
    app.review_on = _dated(data.get("review_on"), ("review_on", "民主评议日期"))
    app.review_result = (data.get("review_result") or "").strip()
    if not app.review_result:
        raise ValidationError({"review_result": "请填写民主评议情况"})
    return app.review_result


def _h_meeting_decide(actor, app, reason, data):
    meeting = data.get("meeting")
    decision = data.get("decision")
    if not isinstance(meeting, Meeting):
        raise ValidationError({"meeting": "请选择联席会议"})
    if meeting.township_id != app.handling_township_id:
        raise ValidationError({"meeting": "只能由受理乡镇（街道）的联席会议集体研究"})
    if decision not in Application.MeetingDecision.values:
        raise ValidationError({"decision": "请选择集体研究意见（同意纳入/不同意纳入）"})
    if decision == "approve" and not app.assessed_eligible:
        raise ValidationError({"decision": "认定测算不符合条件，不能同意纳入；请重新调查核对或作出不同意意见"})
    app.meeting, app.meeting_decision = meeting, decision
    app.meeting_note = (data.get("note") or reason or "").strip()[:300]
    if decision == "approve":
        app.status = S.PUBLICITY
        app.publicity_start = max(meeting.held_on, timezone.localdate())
        app.publicity_end = app.publicity_start + dt.timedelta(
            days=kind_param(app.kind, "publicity_days", app.publicity_start) - 1)
        return f"{meeting}：同意纳入，公示至{app.publicity_end:%Y-%m-%d}。{app.meeting_note}"
    app.status = S.AWAITING_DECISION
    return f"{meeting}：不同意纳入。{app.meeting_note}"


def _h_object(actor, app, reason, data):
    app.objection = (app.objection + "\n" if app.objection else "") + f"{timezone.localdate():%Y-%m-%d} {reason}"
    app.publicity_start = app.publicity_end = None
    app.meeting, app.meeting_decision = None, ""
    return f"公示期间收到异议，退回重新调查：{reason}"


def _h_close_publicity(actor, app, reason, data):
    today = timezone.localdate()
    if app.publicity_end is None or today <= app.publicity_end:
        if app.publicity_end is None:
            raise ValidationError("该申请尚未开始公示：请先经联席会议集体研究，同意纳入的自动进入公示")
        raise ValidationError(
            f"公示尚未期满：公示期至{app.publicity_end:%Y年%m月%d日}，不能提前结束。"
            f"请于{app.publicity_end + dt.timedelta(days=1):%Y年%m月%d日}起再提交审核确认；"
            "公示期间有人提出异议的，请点“公示异议，退回调查”")
    return reason or f"公示期{app.publicity_start:%m月%d日}至{app.publicity_end:%m月%d日}无异议"


def _h_confirm(actor, app, reason, data):
    if app.meeting_decision != Application.MeetingDecision.APPROVE:
        raise ValidationError("集体研究意见为不同意纳入，只能作出不予确认决定")
    if not app.assessed_eligible or app.monthly_amount is None or not app.persons_covered:
        raise ValidationError("认定测算不符合条件，不能确认")
    if app.kind in ONE_OFF_KINDS:
        app.decided_on, app.decided_by = timezone.localdate(), actor
        app.decision_reason = reason or f"经审核，符合{app.get_kind_display()}条件，予以救助"
        ON_CONFIRMED[app.kind](app, None)
        return f"{app.decision_reason}：一次性救助{app.monthly_amount}元"
    category = data.get("category") or ENTITLEMENT_CATEGORY.get(app.kind)
    if not category and app.kind in CATEGORY_RESOLVERS:
        category = CATEGORY_RESOLVERS[app.kind](app)
    if not category:
        raise ValidationError("请指定救助待遇类别")
    today = timezone.localdate()
    app.decided_on, app.decided_by = today, actor
    app.decision_reason = reason or f"经审核，符合{app.get_kind_display()}条件，予以确认"
    start = add_months(first_of_month(today), 1)
    months = recheck_months(category, today, unstable=bool((app.assessment or {}).get("unstable_income")))
    if Entitlement.objects.open().filter(household_id=app.household_id, category=category).exists():
        raise ValidationError("该家庭已有同类救助待遇，不能重复确认")
    ent = Entitlement(household_id=app.household_id, category=category, persons_covered=app.persons_covered,
                      monthly_amount=app.monthly_amount, start_month=start, next_recheck=add_months(start, months),
                      reason=f"{app.number} 审核确认", county_id=app.household.county_id,
                      township_id=app.household.township_id, village_id=app.household.village_id)
    ent.full_clean(exclude=["household", "county", "township", "village"])
    ent.save()
    audit.record(actor=actor, action="entitlement.create", obj=ent, after=audit.snapshot(ent))
    app.entitlement = ent
    if app.kind in ON_CONFIRMED:
        ON_CONFIRMED[app.kind](app, ent)
    if not app.monthly_amount:
        return f"{app.decision_reason}。自{start:%Y年%m月}起认定为{ent.get_category_display()}，{app.persons_covered}人"
    return f"{app.decision_reason}。自{start:%Y年%m月}起每月{app.monthly_amount}元，保障{app.persons_covered}人"


def _h_refuse(actor, app, reason, data):
    app.decided_on, app.decided_by, app.decision_reason = timezone.localdate(), actor, reason
    if app.kind in ON_REFUSED:
        ON_REFUSED[app.kind](app)
    return reason


def _h_withdraw(actor, app, reason, data):
    return reason


def _h_extend(actor, app, reason, data):
    if app.extended:
        raise ValidationError("办理期限只能延长一次")
    app.extended, app.extension_reason = True, reason[:200]
    app.deadline = compute_deadline(app.accepted_on, extended=True, kind=app.kind)
    return f"办理期限延长至{app.deadline:%Y年%m月%d日}：{reason}"


def _h_accept_draft(actor, app, reason, data):
    if app.kind == Application.Kind.DIBAO and app.household.entitlements.open().filter(
            category=Entitlement.Category.DIBAO).exists():
        raise ValidationError("该家庭已在享受低保，无需重复申请；请退回或不予受理")
    drafted_by = app.registered_by
    app.accepted_on = timezone.localdate()
    app.deadline = compute_deadline(app.accepted_on, kind=app.kind)
    app.registered_by = actor  # the township's 受理人 (separation of duties counts from here)
    return reason or f"受理{drafted_by}代办的申请，办结期限{app.deadline:%Y年%m月%d日}"


def _h_refuse_intake(actor, app, reason, data):
    app.decided_on, app.decided_by, app.decision_reason = timezone.localdate(), actor, reason
    return reason


_HANDLERS = {
    "accept_draft": _h_accept_draft,
    "refuse_intake": _h_refuse_intake,
    "record_investigation": _h_record_investigation,
    "record_review": _h_record_review,
    "meeting_decide": _h_meeting_decide,
    "object": _h_object,
    "close_publicity": _h_close_publicity,
    "confirm": _h_confirm,
    "refuse": _h_refuse,
    "withdraw": _h_withdraw,
    "extend": _h_extend,
}


def flag_if_relative(app: Application) -> bool:
    """§12: an application of a registered close relative is flagged when it is created (and nightly by the
    supervision app): audited and announced to the county, which samples it in the 60 % stratum."""

    links = list(relative_links_for_household(app.household_id))
    if not links:
        return False
    who = "；".join(f"{link.staff_name}（{link.relation}）" for link in links)
    audit.record(actor=None, action="relative.flagged", obj=app, after={"staff": who},
                 reason="申请人家庭成员为备案近亲属")
    Alert.objects.get_or_create(
        dedupe_key=f"relative-application:{app.pk}",
        defaults={"region_code": app.handling_county_id, "level": Alert.Level.WARNING, "kind": "relative_case",
                  "message": f"{app.number}（{app.household}）为备案近亲属申请：{who}",
                  "link": f"/applications/{app.pk}/"})
    return True


def available_actions(user, application: Application) -> list[str]:
    """Actions the user could try now (for buttons); the transition function still decides."""
    if application.is_final or must_recuse(actor=user, household_id=application.household_id):
        return []
    out = []
    for name, spec in ACTIONS.items():
        if application.status not in spec.sources:
            continue
        if not handles(user, spec.permission, application, application.handling_township_id) and not (
                name in ("confirm", "refuse") and sole_decider.county_may_decide(user, application)):
            continue
        if name in ("confirm", "refuse") and application.registered_by_id == user.pk:
            continue
        if name == "extend" and application.extended:
            continue
        if name == "confirm" and application.meeting_decision != Application.MeetingDecision.APPROVE:
            continue
        if name == "close_publicity" and application.publicity_end and \
                timezone.localdate() <= application.publicity_end:
            continue
        out.append(name)
    return out
