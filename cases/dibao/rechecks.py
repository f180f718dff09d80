"""Re-checks, exits and the phase-out period (渐退期) of entitlements."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.scope import Action, can, handles
from cases.dibao import means_test
from cases.dibao.assessment import assessment_input
from cases.dibao.models import Notice, Recheck
from cases.dibao.notices import notice_issue
from cases.entitlements.cycles import recheck_months
from cases.entitlements.models import Entitlement
from cases.supervision.models import PaymentHold
from cases.supervision.services import payment_hold_release, refuse_if_relative
from core import audit, params
from core.months import add_months, first_of_month


def _may_change_entitlement(actor, entitlement: Entitlement) -> None:
    """Township staff of the entitlement's township, or holders of an explicit grant on the entitlement itself
    (accounts.scope.handles); never a registered relative (§12)."""
    if actor is None:
        return  # system tasks
    if not (can(actor, Action.CASE_PROCESS) or can(actor, Action.CASE_DECIDE)):
        raise ValidationError("只有乡镇（街道）工作人员可以办理复核和退出")
    if not any(handles(actor, action, entitlement, entitlement.township_id)
               for action in (Action.CASE_PROCESS, Action.CASE_DECIDE)):
        raise ValidationError("该救助对象不在您的办理范围内")
    # §12: re-checks and exits are the relative's case too
    refuse_if_relative(actor=actor, household_id=entitlement.household_id)


def recheck_list_month(*, month: dt.date) -> int:
    """Create the month's re-check worklist: active entitlements of every category whose next re-check falls in
    the month (or earlier and not yet on a list); each category has its own cycle (entitlements.cycles).
    Idempotent; returns the number of new rows."""
    month = first_of_month(month)
    end = add_months(month, 1)
    due = Entitlement.objects.filter(
        status=Entitlement.Status.ACTIVE, next_recheck__lt=end,
    ).exclude(pk__in=Recheck.objects.filter(outcome="").values("entitlement_id"))
    rows = [Recheck(entitlement=e, household_id=e.household_id, month=month, due_on=max(e.next_recheck, month),
                    amount_before=e.monthly_amount, county_id=e.county_id, township_id=e.township_id,
                    village_id=e.village_id) for e in due]
    Recheck.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        audit.record(actor=None, action="recheck.list", object_type="cases.recheck",
                     object_repr=f"{month:%Y年%m月}复核名单 {len(rows)} 户")
    return len(rows)


def recheck_list_entitlement(*, entitlement: Entitlement, on: dt.date) -> Recheck | None:
    """Put one entitlement on the month's re-check worklist now (a confirmed clue, a complaint), due `on`.
    Same rule as the monthly list (active entitlements); an open re-check already listed is brought
    forward instead of duplicated. Returns the open re-check, or None when the rule does not list it."""
    if entitlement.status != Entitlement.Status.ACTIVE:
        return None
    open_row = Recheck.objects.filter(entitlement=entitlement, outcome="").first()
    if open_row is not None:
        if open_row.due_on > on:
            open_row.due_on = on
            open_row.save(update_fields=["due_on"])
        return open_row
    month = first_of_month(on)
    row, _ = Recheck.objects.get_or_create(
        entitlement=entitlement, month=month,
        defaults=dict(household_id=entitlement.household_id, due_on=on, amount_before=entitlement.monthly_amount,
                      county_id=entitlement.county_id, township_id=entitlement.township_id,
                      village_id=entitlement.village_id))
    if row.outcome:  # already re-checked this month and closed: list it again next month, due at once
        row, _ = Recheck.objects.get_or_create(
            entitlement=entitlement, month=add_months(month, 1),
            defaults=dict(household_id=entitlement.household_id, due_on=on, amount_before=entitlement.monthly_amount,
                          county_id=entitlement.county_id, township_id=entitlement.township_id,
                          village_id=entitlement.village_id))
    audit.record(actor=None, action="recheck.list", obj=row, reason="提前复核")
    return row


def caseworkers(township_id: str):
    """Who a township's re-checks may be assigned to: its active 乡镇经办人."""
    return (User.objects.filter(role=Role.TOWNSHIP_CASEWORKER, region_id=township_id, is_active=True)
            .order_by("full_name", "username"))


def recheck_assign(*, actor, recheck: Recheck, assignee) -> bool:
    """Assign an open re-check to a caseworker of its township. The township's own staff assign (the same
    reach as completing a re-check); audited. Returns False when it was already assigned to that person."""
    if not (can(actor, Action.CASE_PROCESS) or can(actor, Action.CASE_DECIDE)):
        raise ValidationError("只有乡镇（街道）工作人员可以分派复核")
    if not any(handles(actor, action, recheck, recheck.township_id)
               for action in (Action.CASE_PROCESS, Action.CASE_DECIDE)):
        raise ValidationError("该复核不在您的办理范围内")
    if assignee is None or not caseworkers(recheck.township_id).filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": "只能分派给本乡镇（街道）在岗的乡镇经办人"})
    with transaction.atomic():
        recheck = Recheck.objects.select_for_update().get(pk=recheck.pk)
        if recheck.outcome:
            raise ValidationError("该复核已办结，不能再分派")
        if recheck.assigned_to_id == assignee.pk:
            return False
        before = {"assigned_to": str(recheck.assigned_to)} if recheck.assigned_to_id else None
        recheck.assigned_to, recheck.assigned_at = assignee, timezone.now()
        recheck.save(update_fields=["assigned_to", "assigned_at"])
        audit.record(actor=actor, action="recheck.assign", obj=recheck, before=before,
                     after={"assigned_to": str(assignee), "assignee_id": assignee.pk})
    return True


@dataclass
class AssignOutcome:
    assigned: int = 0
    unchanged: int = 0
    out_of_reach: int = 0
    refused: Counter = field(default_factory=Counter)  # {reason: count}

    def messages(self, assignee) -> list[tuple[str, str]]:
        """[(level, Chinese text)] for the page."""
        out = []
        if self.assigned:
            out.append(("success", f"已将 {self.assigned} 户复核分派给{assignee}。"))
        if self.unchanged:
            out.append(("info", f"{self.unchanged} 户复核原已分派给{assignee}，未作变更。"))
        for reason, n in self.refused.items():
            out.append(("error", f"{n} 户复核未分派：{reason}"))
        if self.out_of_reach:
            out.append(("warning", f"{self.out_of_reach} 条所选记录不存在或不在您的办理范围内，未作处理。"))
        return out


def recheck_assign_many(*, actor, ids, assignee) -> AssignOutcome:
    """Assign many re-checks at once (the re-check list's bulk action): each one through recheck_assign, as if
    assigned one by one; rows out of the actor's reach are not touched, only counted."""
    ids = {int(i) for i in ids}
    rows = list(Recheck.objects.restrict(actor, Action.CASE_VIEW).filter(pk__in=ids).order_by("id"))
    outcome = AssignOutcome(out_of_reach=len(ids) - len(rows))
    for row in rows:
        try:
            changed = recheck_assign(actor=actor, recheck=row, assignee=assignee)
        except ValidationError as exc:
            outcome.refused["；".join(exc.messages)] += 1
            continue
        if changed:
            outcome.assigned += 1
        else:
            outcome.unchanged += 1
    if outcome.out_of_reach:  # ids the user cannot reach: on the trail, never acted on
        audit.record(actor=actor, action="access.denied", category=audit.Category.SECURITY,
                     object_type="cases.recheck", object_repr=f"批量分派复核：{outcome.out_of_reach} 条不在办理范围内",
                     after={"action": "recheck.assign", "ids": sorted(ids - {r.pk for r in rows})[:200]},
                     region=("", "", ""))
    return outcome


def recheck_complete(*, actor, recheck: Recheck, outcome: str, note: str, new_amount: Decimal | None = None,
                     phase_out_months: int | None = None) -> Recheck:
    """Close a re-check: continue / adjust (new_amount or the fresh assessment) / phase_out (渐退期) / exit."""
    ent = recheck.entitlement
    _may_change_entitlement(actor, ent)
    if recheck.outcome:
        raise ValidationError("该复核已办结")
    if outcome not in Recheck.Outcome.values:
        raise ValidationError({"outcome": "请选择复核结果"})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写复核情况"})
    if ent.status != Entitlement.Status.ACTIVE:
        raise ValidationError(f"该救助待遇当前为“{ent.get_status_display()}”，不能复核")
    today = timezone.localdate()
    with transaction.atomic():
        before = audit.snapshot(ent, ["status", "monthly_amount", "next_recheck", "end_month"])
        if outcome in (Recheck.Outcome.CONTINUE, Recheck.Outcome.ADJUST):
            try:
                result = means_test.assess(assessment_input(ent.household, today))
            except ObjectDoesNotExist:  # no standard in force: keep the stable cycle, amount must be given
                result = None
            unstable = bool(result and result.unstable_income)
            cycle = recheck_months(ent.category, today, unstable=unstable)
            if outcome == Recheck.Outcome.ADJUST and ent.category != Entitlement.Category.DIBAO:
                raise ValidationError("只有低保金额按家庭经济状况重新测算；其他类别请选择继续或终止")
            if outcome == Recheck.Outcome.ADJUST:
                if new_amount is None:
                    if result is None or not result.eligible:
                        raise ValidationError("重新测算已不符合条件，请选择渐退期或终止保障")
                    new_amount = result.monthly_amount
                new_amount = means_test.money(new_amount)
                if new_amount <= 0:
                    raise ValidationError({"new_amount": "调整后的金额须大于0；不再符合条件请选择终止保障"})
                ent.monthly_amount = new_amount
            ent.next_recheck = add_months(today, cycle)
            ent.reason = f"{today:%Y-%m}复核：{Recheck.Outcome(outcome).label}"
        elif outcome == Recheck.Outcome.PHASE_OUT:
            months = phase_out_months or params.get("dibao.phase_out_months", today)
            limit = params.get("dibao.phase_out_months", today)
            if not 1 <= int(months) <= max(limit, 1):
                raise ValidationError({"phase_out_months": f"渐退期为1至{limit}个月"})
            ent.status = Entitlement.Status.PHASING_OUT
            ent.end_month = add_months(first_of_month(today), int(months))  # last month paid
            ent.next_recheck = None
            ent.reason = f"家庭成员就业后收入超过低保标准，渐退{months}个月"
            notice_issue(actor=actor, household=ent.household, kind=Notice.Kind.TERMINATION, entitlement=ent,
                         reasons=f"{note}。根据渐退期政策，继续保障{months}个月至{ent.end_month:%Y年%m月}，"
                                 f"期满后终止最低生活保障。", effective_month=ent.end_month)
        else:
            _end(actor, ent, note, first_of_month(today))
        recheck.amount_after = ent.monthly_amount if outcome != Recheck.Outcome.EXIT else Decimal("0.00")
        recheck.outcome, recheck.note, recheck.done_at = outcome, note, timezone.now()
        recheck.done_by = actor if getattr(actor, "is_authenticated", False) else None
        recheck.save()
        ent.updated_at = timezone.now()
        ent.save()
        b, a = audit.diff(before, audit.snapshot(ent, ["status", "monthly_amount", "next_recheck", "end_month"]))
        audit.record(actor=actor, action=f"recheck.{outcome}", obj=ent, before=b, after=a, reason=note)
    return recheck


def _end(actor, ent: Entitlement, reason: str, effective_month: dt.date) -> Notice:
    ent.status = Entitlement.Status.ENDED
    ent.end_month = effective_month
    ent.next_recheck = None
    ent.reason = reason[:200]
    return notice_issue(actor=actor, household=ent.household, kind=Notice.Kind.TERMINATION, entitlement=ent,
                        reasons=reason, effective_month=effective_month, category=ent.get_category_display())


def entitlement_end(*, actor, entitlement: Entitlement, reason: str, effective_month: dt.date | None = None) -> Notice:
    """End an entitlement after investigation and issue the 终止通知书 (returned). `effective_month` is the
    last month paid (first day; default this month). Never call this from data alone (§12)."""
    _may_change_entitlement(actor, entitlement)
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": "终止救助必须写明经调查核实的理由"})
    if entitlement.status == Entitlement.Status.ENDED:
        raise ValidationError("该救助待遇已终止")
    effective_month = first_of_month(effective_month or timezone.localdate())
    with transaction.atomic():
        before = audit.snapshot(entitlement, ["status", "end_month", "next_recheck"])
        notice = _end(actor, entitlement, reason, effective_month)
        entitlement.updated_at = timezone.now()
        entitlement.save()
        Recheck.objects.filter(entitlement=entitlement, outcome="").update(
            outcome=Recheck.Outcome.EXIT, note=f"已终止：{reason}"[:500], done_at=timezone.now(),
            done_by=actor if getattr(actor, "is_authenticated", False) else None)
        b, a = audit.diff(before, audit.snapshot(entitlement, ["status", "end_month", "next_recheck"]))
        audit.record(actor=actor, action="entitlement.end", obj=entitlement, before=b, after=a, reason=reason)
        _release_death_holds(actor, entitlement)
    return notice


def _release_death_holds(actor, entitlement: Entitlement) -> None:
    """A death hold (placed by a death clue) has done its job once the household's last open entitlement is
    ended: release it in the same transaction. While another entitlement of the household is still open the
    hold stays, so nothing is paid for a deceased person in between."""

    still_open = Entitlement.objects.filter(household_id=entitlement.household_id).exclude(
        status=Entitlement.Status.ENDED).exists()
    if still_open:
        return
    for hold in PaymentHold.objects.select_for_update().filter(
            household_id=entitlement.household_id, kind=PaymentHold.Kind.DEATH, released_at__isnull=True):
        payment_hold_release(actor=actor, hold=hold, reason="已办理终止")


def phase_out_expire(*, on: dt.date | None = None) -> int:
    """渐退期 entitlements whose last paid month is before this month become ended (notice already issued)."""
    month = first_of_month(on or timezone.localdate())
    done = 0
    for ent in Entitlement.objects.filter(status=Entitlement.Status.PHASING_OUT, end_month__lt=month):
        with transaction.atomic():
            ent.status = Entitlement.Status.ENDED
            ent.updated_at = timezone.now()
            ent.save(update_fields=["status", "updated_at"])
            audit.record(actor=None, action="entitlement.phase_out_ended", obj=ent,
                         before={"status": "phasing_out"}, after={"status": "ended"}, reason="渐退期满")
        done += 1
    return done


def entitlement_flag_for_recheck(*, actor, entitlement, reason: str):
    """Bring an entitlement's next re-check forward to today (a confirmed data clue, a complaint)."""
    today = timezone.localdate()
    with transaction.atomic():
        before = entitlement.next_recheck
        entitlement.next_recheck = today
        entitlement.updated_at = timezone.now()
        entitlement.save(update_fields=["next_recheck", "updated_at"])
        audit.record(actor=actor, action="entitlement.recheck_requested", obj=entitlement,
                     before={"next_recheck": str(before) if before else None},
                     after={"next_recheck": str(today)}, reason=reason)
        # The monthly worklist is generated on the 1st; a re-check brought forward mid-month must not wait
        # for next month's list: put it on this month's list now, due today.

        recheck_list_entitlement(entitlement=entitlement, on=today)
    return entitlement
