"""Demo data for the low-income categories (issue #16): 低保边缘 / 刚性支出困难 / 防返贫监测 enrolments and open
applications in 詹店镇, a 单人户 application from an edge household, a 特困 amount change waiting for next month,
a confirmed 临时救助 waiting for the one-off payment batch, and re-checks opened by changes in a household.
Idempotent: skips when a 低保边缘 application exists. Synthetic people only (the demo households)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.dibao import workflow
from cases.entitlements.models import EntitlementChange
from cases.households import services as household_services
from cases.models import Application, Entitlement, Household, TemporaryAid
from cases.temporary_aid import services as temporary_aid
from core.months import add_months, first_of_month

TOWNSHIP = "410823101"


def _free_households(n: int) -> list[Household]:
    """Demo households of 詹店镇 with no category and no open application."""
    qs = (Household.objects.filter(township_id=TOWNSHIP, entitlements__isnull=True)
          .exclude(applications__status__in=["accepted", "investigating", "investigated", "reviewed", "publicity",
                                             "awaiting_decision"]).order_by("id").distinct())
    return list(qs[:n])


def _enrol(household: Household, category: str, start: dt.date, reason: str) -> Entitlement:
    return Entitlement.objects.create(
        household=household, category=category, persons_covered=household.members.count() or 1,
        monthly_amount=Decimal("0"), start_month=start, next_recheck=add_months(start, 12), reason=reason,
        county_id=household.county_id, township_id=household.township_id, village_id=household.village_id)


def seed(stdout) -> None:
    if Application.objects.filter(kind="dibao_edge").exists():
        stdout.write("低收入人口演示数据已存在，跳过。")
        return
    cw = User.objects.filter(username="zhandian_jingban").first()
    leader = User.objects.filter(username="zhandian_shenpi").first()
    if cw is None or leader is None:
        return
    today = timezone.localdate()
    with transaction.atomic():
        free = _free_households(8)
        if len(free) < 8:
            stdout.write("詹店镇可用的演示家庭不足，跳过低收入人口演示数据。")
            return
        # open applications of each new kind
        workflow.application_accept(actor=cw, household=free[0], kind="dibao_edge",
                                    reason="户主务工收入略高于低保标准（演示数据）")
        workflow.application_accept(actor=cw, household=free[1], kind="rigid_expense",
                                    reason="家庭成员大病住院，医疗支出大（演示数据）")
        workflow.application_accept(actor=cw, household=free[2], kind="monitor", subcategory="monitor_sudden",
                                    source="rural_revitalization", source_note="县乡村振兴局2026年11月监测名单",
                                    reason="因灾房屋受损（演示数据）")
        # enrolled households: several categories in one household
        start = dt.date(2026, 3, 1)
        _enrol(free[3], "rigid_expense", start, "演示数据：刚性支出困难")
        _enrol(free[4], "monitor_unstable", start, "演示数据：脱贫不稳定")
        _enrol(free[4], "dibao_edge", start, "演示数据：低保边缘")
        # 单人户: an edge household's severely disabled member applies for 低保 alone
        edge = _enrol(free[5], "dibao_edge", start, "演示数据：低保边缘")
        member = free[5].members.order_by("-id").first()
        if member is not None:
            household_services.person_update(actor=cw, person=member, disability_grade=1,
                                             disability_type="physical", reason="残联核发一级残疾人证（演示）")
            workflow.application_accept(actor=cw, household=free[5], kind="dibao", single_person=member,
                                        reason=f"{member.name}一级肢体残疾，申请单人户纳入低保（演示数据）")
        # a member enlisted: the means test re-runs and a re-check is opened with a due date
        enlisted = _enrol(free[6], "dibao_edge", start, "演示数据：低保边缘")
        soldier = free[6].members.order_by("-id").first()
        if soldier is not None:
            household_services.person_update(actor=cw, person=soldier, special_status="military",
                                             reason="人武部入伍通知（演示）")
        # a confirmed 临时救助 (一般程序) waiting for the county's one-off payment batch
        app = temporary_aid.full_apply(actor=cw, household=free[7], aid_type="expenditure",
                                       cause="重病住院，自付医疗费用高（演示数据）", amount=Decimal("3000.00"))
        Application.objects.filter(pk=app.pk).update(
            status="confirmed", decided_on=today, decided_by=leader, assessed_eligible=True, persons_covered=1,
            monthly_amount=Decimal("3000.00"), decision_reason="演示数据：经审核予以临时救助")
        TemporaryAid.objects.filter(application=app).update(status="completed", granted_by=leader, granted_on=today)
        # a 特困 person's new care level: the amount changes from next month
        tekun = Entitlement.objects.in_force().filter(township_id=TOWNSHIP, category="tekun_dispersed").first()
        if tekun is not None:
            EntitlementChange.objects.create(
                entitlement=tekun, effective_month=add_months(first_of_month(today), 1),
                amount_before=tekun.monthly_amount, amount_after=tekun.monthly_amount + Decimal("400.00"),
                reason="演示数据：生活自理能力评估由半失能变为全失能，照料护理标准提高", created_by=cw)
    stdout.write(f"低收入人口演示数据：3件认定申请、单人户申请（{edge.household}）、临时救助待发放、"
                 f"{enlisted.household}成员参军后的复核。")
