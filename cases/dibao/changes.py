"""§12 changes that may end eligibility: a member's special status (参军服役, 在监服刑, 婚嫁·分户迁出, 死亡) or new
income or property re-runs the means test and opens a re-check of every entitlement in force, due within
`lowincome.change_recheck_workdays` working days. Nothing exits here: the caseworker decides at the re-check
(continue / adjust / 渐退 / exit with a written notice)."""
from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from cases.dibao import means_test
from cases.dibao.assessment import assessment_input
from cases.dibao.rechecks import recheck_list_entitlement
from cases.entitlements.models import Entitlement
from core import audit, params, workdays


def household_changed(*, actor, household, what: str) -> list:
    """Registered with cases.households.services.on_change. Returns the re-checks opened or brought forward."""
    entitlements = list(Entitlement.objects.in_force().filter(household_id=household.pk, status="active"))
    if not entitlements:
        return []
    today = timezone.localdate()
    try:
        result = means_test.assess(assessment_input(household, today)).to_json()
    except ObjectDoesNotExist:  # no 低保标准 in force for the county: the re-check is still opened
        result = None
    due = workdays.add_workdays(today, params.get("lowincome.change_recheck_workdays", today))
    verdict = "" if result is None else (
        f"重新测算：月人均收入{result['per_capita_monthly']}元，"
        + ("仍符合低保条件" if result["eligible"] else "不符合低保条件（" + "；".join(result["reasons"]) + "）"))
    rows = []
    for ent in entitlements:
        row = recheck_list_entitlement(entitlement=ent, on=due)
        if row is None:
            continue
        row.trigger = f"{today:%Y-%m-%d} {what}。{verdict}"[:300]
        row.assessment = result
        row.save(update_fields=["trigger", "assessment"])
        rows.append(row)
        audit.record(actor=actor, action="recheck.change_opened", obj=ent, reason=row.trigger,
                     after={"recheck": row.pk, "due_on": str(row.due_on)})
    return rows
