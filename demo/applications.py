"""Demo 低保 applications in every state for 詹店镇, 西陶镇 and 祥云镇, overdue ones included, plus joint
meetings, notices, a re-check worklist and a few 渐退期 entitlements. Idempotent (skips when applications exist).

Histories are backdated, so rows are written directly (with their timeline) rather than through the
state machine, which always acts "today". Everything is labelled as demo data in the timeline.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.dibao import assessment as dibao_assessment
from cases.dibao import deadlines as dibao_deadlines
from cases.dibao import intake, means_test
from cases.dibao import notices as workflow
from cases.dibao import rechecks as dibao_rechecks
from cases.dibao import workflow as dibao_workflow
from cases.models import Application, ApplicationEvent, Entitlement, Household, Meeting, Notice
from core import audit, months, workdays
from core.models import Region

TOWNSHIPS = {
    "410823101": ("zhandian_jingban", "zhandian_shenpi"),
    "410823102": ("xitao_jingban", None),
    "410825101": ("xiangyun_jingban", None),
}
S = Application.Status
# (state, days since acceptance, eligible household wanted)
PLAN = [
    (S.ACCEPTED, 2, True), (S.ACCEPTED, 45, True),  # the second is overdue
    (S.INVESTIGATING, 33, True),  # nearly due or overdue
    (S.INVESTIGATED, 12, True), (S.INVESTIGATED, 14, False),
    (S.REVIEWED, 16, True),
    (S.PUBLICITY, 20, True), (S.PUBLICITY, 26, True),  # the second's publicity has ended
    (S.AWAITING_DECISION, 30, True), (S.AWAITING_DECISION, 24, False),
    (S.CONFIRMED, 60, True), (S.CONFIRMED, 70, True),
    (S.REFUSED, 50, False),
    (S.WITHDRAWN, 40, True),
]
MEETING_ANCHOR = dt.date(2026, 1, 1)  # a Thursday
INVESTIGATORS = {"410823101": ("刘洋", "马强"), "410823102": ("张伟", "郭晓燕"), "410825101": ("吴静", "原志刚")}


def seed(stdout) -> None:
    if Application.objects.exists():
        stdout.write("演示救助申请已存在，跳过。")
        return
    today = timezone.localdate()
    total = 0
    with transaction.atomic():
        for township_code, (cw_name, leader_name) in TOWNSHIPS.items():
            cw = User.objects.filter(username=cw_name).first()
            if cw is None:
                continue
            leader = User.objects.filter(username=leader_name).first() if leader_name else None
            total += _township(Region.objects.get(pk=township_code), cw, leader, today)
        total += _village_drafts()
        _rechecks_and_phase_out(today)
    stdout.write(f"演示救助申请：{total} 件（含超期），复核名单和渐退期家庭已生成。")


def _candidates(township, today):
    """Households of the township without an open 低保, split by the means test's verdict."""
    eligible, ineligible = [], []
    qs = Household.objects.filter(township=township).exclude(
        entitlements__category="dibao").order_by("id")[:260]
    for hh in qs:
        try:
            result = means_test.assess(dibao_assessment.assessment_input(hh, today))
        except Exception:  # noqa: BLE001 - a county without standards: skip
            continue
        (eligible if result.eligible else ineligible).append((hh, result))
    return eligible, ineligible


def _event(app, actor, name, label, before, after, note, at):
    ApplicationEvent.objects.create(application=app, action=name, label=label, from_status=before, to_status=after,
                                    note=note, actor=actor, actor_name=str(actor) if actor else "演示数据",
                                    at=timezone.make_aware(dt.datetime.combine(at, dt.time(10, 0))))


def _township(township, cw, leader, today) -> int:
    eligible, ineligible = _candidates(township, today)
    one, two = INVESTIGATORS[township.pk]
    meetings: dict[dt.date, Meeting] = {}
    count = 0
    for state, age, want_eligible in PLAN:
        pool = eligible if want_eligible or not ineligible else ineligible
        if not pool:
            continue
        hh, result = pool.pop(0)
        accepted = today - dt.timedelta(days=age)
        head = hh.members.filter(relationship="head").first()
        app = Application.objects.create(
            kind="dibao", household=hh, applicant=head, handling_township=township, handling_county_id=township.pk[:6],
            status=S.ACCEPTED, reason="家庭收入低，生活困难，申请最低生活保障（演示数据）", accepted_on=accepted,
            deadline=dibao_deadlines.compute_deadline(accepted), registered_by=cw, county_id=hh.county_id,
            township_id=hh.township_id, village_id=hh.village_id)
        _event(app, cw, "accept", "受理申请", "", S.ACCEPTED, app.reason, accepted)
        status = S.ACCEPTED
        if state == S.INVESTIGATING:
            status = S.INVESTIGATING
            _event(app, cw, "start_investigation", "开始调查核对", S.ACCEPTED, status, "", accepted + dt.timedelta(days=3))
        elif state not in (S.ACCEPTED, S.WITHDRAWN):
            inv_on = accepted + dt.timedelta(days=min(5, age // 3))
            app.investigated_on, app.investigator_1, app.investigator_2 = inv_on, one, two
            app.findings = "入户查看住房和生活状况，询问家庭成员就业和收入，与登记一致。"
            app.verification_result = "省社会救助家庭经济状况核对平台：未发现车辆、工商登记、住房公积金缴存异常。"
            app.assessment, app.assessed_eligible = result.to_json(), result.eligible
            app.persons_covered = result.persons_covered or None
            app.monthly_amount = result.monthly_amount if result.eligible else None
            status = S.INVESTIGATED
            verdict = f"测算符合条件，月救助金额{result.monthly_amount}元" if result.eligible else \
                "测算不符合条件：" + "；".join(result.reasons)
            _event(app, cw, "record_investigation", "登记入户调查和核对结果", S.ACCEPTED, status,
                   f"调查人：{one}、{two}。{verdict}", inv_on)
            if state == S.REVIEWED:
                app.review_on, app.review_result = inv_on + dt.timedelta(days=2), "村民代表11人参加，10人同意。"
                status = S.REVIEWED
                _event(app, cw, "record_review", "登记民主评议", S.INVESTIGATED, status, app.review_result,
                       app.review_on)
            if state in (S.PUBLICITY, S.AWAITING_DECISION, S.CONFIRMED, S.REFUSED):
                soon = inv_on + dt.timedelta(days=4)
                # the township meets every other Thursday (moved before a holiday)
                held = MEETING_ANCHOR + dt.timedelta(days=14 * ((soon - MEETING_ANCHOR).days // 14 + 1))
                held = workdays.last_workday_on_or_before(min(held, today))
                if state == S.PUBLICITY and age == 20:
                    held = today - dt.timedelta(days=2)
                if held not in meetings:
                    meetings[held] = Meeting.objects.create(
                        county_id=township.pk[:6], township=township, held_on=held, place="镇政府三楼会议室",
                        chair="分管副镇长", attendees=f"分管副镇长、民政所长、{one}、{two}、纪检委员",
                        note="集体研究低保申请（演示数据）", created_by=cw)
                meeting = meetings[held]
                approve = result.eligible
                app.meeting, app.meeting_decision = meeting, "approve" if approve else "refuse"
                app.meeting_note = "" if approve else "；".join(result.reasons)
                before = status
                if approve:
                    app.publicity_start = held
                    app.publicity_end = held + dt.timedelta(days=6)
                    status = S.PUBLICITY
                    _event(app, cw, "meeting_decide", "集体研究", before, status,
                           f"{meeting}：同意纳入，公示至{app.publicity_end:%Y-%m-%d}。", held)
                    if state in (S.AWAITING_DECISION, S.CONFIRMED):
                        status = S.AWAITING_DECISION
                        _event(app, cw, "close_publicity", "公示期满，提交审核确认", S.PUBLICITY, status,
                               "公示期间无异议", app.publicity_end + dt.timedelta(days=1))
                else:
                    status = S.AWAITING_DECISION
                    _event(app, cw, "meeting_decide", "集体研究", before, status, f"{meeting}：不同意纳入。", held)
                if state == S.CONFIRMED:
                    decided = min(workdays.add_workdays(app.publicity_end, 1), today)
                    start = months.add_months(decided.replace(day=1), 1)
                    ent = Entitlement.objects.create(
                        household=hh, category="dibao", persons_covered=app.persons_covered,
                        monthly_amount=app.monthly_amount, start_month=start,
                        next_recheck=months.add_months(start, 12), reason=f"{app.number} 审核确认",
                        county_id=hh.county_id, township_id=hh.township_id, village_id=hh.village_id)
                    app.entitlement, app.decided_on, app.decided_by = ent, decided, leader
                    app.decision_reason = "经审核，符合最低生活保障条件，予以确认"
                    status = S.CONFIRMED
                    _event(app, leader, "confirm", "审核确认", S.AWAITING_DECISION, status,
                           f"自{start:%Y年%m月}起每月{app.monthly_amount}元", decided)
                if state == S.REFUSED:
                    decided = min(workdays.add_workdays(held, 1), today)
                    reason = "经入户调查和家庭经济状况核对：" + "；".join(result.reasons or ["家庭收入超过低保标准"])
                    app.decided_on, app.decided_by, app.decision_reason = decided, leader, reason
                    status = S.REFUSED
                    _event(app, leader, "refuse", "不予确认", S.AWAITING_DECISION, status, reason, decided)
        if state == S.WITHDRAWN:
            status = S.WITHDRAWN
            _event(app, cw, "withdraw", "申请人撤回申请", S.ACCEPTED, status, "申请人外出务工，书面撤回申请",
                   accepted + dt.timedelta(days=6))
        app.status = status
        app.save()
        if status == S.REFUSED:
            notice = workflow.notice_issue(actor=leader, household=hh, kind=Notice.Kind.REFUSAL,
                                           reasons=app.decision_reason, application=app, decided_on=app.decided_on)
            Notice.objects.filter(pk=notice.pk).update(delivered_on=workdays.add_workdays(app.decided_on, 1))
        count += 1
    audit.record(actor=None, action="demo.seed", object_type="cases.application",
                 object_repr=f"{township.name}演示救助申请 {count} 件", region=(township.pk[:6], township.pk, ""))
    return count


def _village_drafts() -> int:
    """代办 (§7): a 何营东村 draft waiting for 受理, another returned by 詹店镇 with its reason, and a refusal to
    accept (不予受理) with its notice."""
    staff = User.objects.filter(username="heying_cun").first()
    cw = User.objects.filter(username="zhandian_jingban").first()
    if staff is None or cw is None:
        return 0
    free = list(Household.objects.filter(village_id=staff.region_id, applications__isnull=True).order_by("id")[:2])
    if len(free) < 2:
        return 0
    intake.application_draft(actor=staff, household=free[0], reason="户主患病住院，家庭无稳定收入，村代办低保申请（演示数据）")
    returned = intake.application_draft(actor=staff, household=free[1], reason="家庭收入低，村代办低保申请（演示数据）")
    dibao_workflow.transition(actor=cw, application=returned, action="return_draft",
                              reason="缺少家庭成员收入证明，请补充后重新代办")
    intake.intake_refuse(actor=cw, household=free[1], kind="tekun",
                         reason="户主52岁，有劳动能力，不属于特困人员供养对象，可申请低保（演示数据）")
    return 3


def _rechecks_and_phase_out(today) -> None:
    """Spread next re-checks over the coming year, list this month's, and put a few households in 渐退期."""
    month = today.replace(day=1)
    for township_code in TOWNSHIPS:
        ents = list(Entitlement.objects.filter(township_id=township_code, category="dibao", status="active",
                                               next_recheck__isnull=True).order_by("id"))
        for i, ent in enumerate(ents):
            ent.next_recheck = months.add_months(month, i % 12) + dt.timedelta(days=(i * 7) % 27)
        Entitlement.objects.bulk_update(ents, ["next_recheck"])
        for ent in ents[1:40:12][:3]:
            end = months.add_months(month, 2 + ent.pk % 4)
            ent.status, ent.end_month, ent.next_recheck = "phasing_out", end, None
            ent.reason = "家庭成员就业后收入超过低保标准，渐退6个月（演示数据）"
            ent.save()
            notice = workflow.notice_issue(
                actor=None, household=ent.household, kind=Notice.Kind.TERMINATION, entitlement=ent,
                reasons=f"复核发现家庭成员已稳定就业，家庭月人均收入超过低保标准。根据渐退期政策，继续保障至"
                        f"{end:%Y年%m月}，期满后终止最低生活保障。", effective_month=end,
                decided_on=months.add_months(end, -6) if months.add_months(end, -6) < today else today)
            Notice.objects.filter(pk=notice.pk).update(delivered_on=notice.decided_on)
    dibao_rechecks.recheck_list_month(month=month)
