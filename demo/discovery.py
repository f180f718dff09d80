"""Demo data for active discovery (§7): grids of 何营东村 and two more 詹店镇 villages with their grid workers,
households assigned (a few left for the village to assign), visits of the last months (some overdue), ledger
records from visits, the hotline and the data comparisons, a village draft, a returned draft and a refused intake.
Built through the services so the audit trail and the invariants hold. Idempotent."""
from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.dibao import intake, workflow
from cases.dibao.models import Application
from cases.households.models import Household
from core.models import Region
from discovery import screening, services
from discovery.models import Grid, LedgerRecord

HEYING = "410823101200"
VILLAGES = [HEYING, "410823101201", "410823101202"]
SITUATIONS = ["illness", "disability", "job_loss", "elderly_alone", "child_no_care", "housing"]


def seed(stdout) -> None:
    if Grid.objects.filter(village_id=HEYING).exists():
        stdout.write("主动发现演示数据已存在，跳过。")
        return
    rng = random.Random(20261203)
    village_staff = User.objects.get(username="heying_cun")
    grid_worker = User.objects.get(username="heying_wangge")
    caseworker = User.objects.get(username="zhandian_jingban")
    today = timezone.localdate()
    with transaction.atomic():
        for code in VILLAGES:
            village = Region.objects.filter(code=code).first()
            if village is None:
                continue
            actor = village_staff if code == HEYING else caseworker
            grids = [services.grid_create(actor=actor, village=village, name="第一网格（一、二组）",
                                          worker=grid_worker if code == HEYING else None,
                                          worker_name="" if code == HEYING else "王建华", worker_phone="13903912001"),
                     services.grid_create(actor=actor, village=village, name="第二网格（三、四组）",
                                          worker_name="李秀英", worker_phone="13903912002")]
            households = list(Household.objects.filter(village_id=code).order_by("id"))
            for i, hh in enumerate(households):
                if i % 9 == 8:
                    continue  # left for the village to assign
                services.household_assign(actor=actor, household=hh, grid=grids[i % 2])
            for hh in households[: len(households) * 2 // 3]:
                visited = today - dt.timedelta(days=rng.randint(0, 85))
                hard = rng.random() < 0.12
                situations = rng.sample(SITUATIONS, rng.randint(1, 2)) if hard else []
                services.visit_record(actor=grid_worker if code == HEYING else caseworker, household=hh,
                                      visited_on=visited, seen=rng.choice(["户主本人", "配偶", "子女", "户主和配偶"]),
                                      situations=situations,
                                      note="走访发现家庭出现困难，需要跟进" if hard else "家庭情况稳定")
            if code == HEYING and households:
                _heying(households, village_staff, caseworker, today)
        pulled = services.ledger_pull()
    stdout.write(f"主动发现：{Grid.objects.count()} 个网格，台账 {LedgerRecord.objects.count()} 条"
                 f"（部门数据转入 {pulled} 条）。")


def _heying(households, village_staff, caseworker, today) -> None:
    """何营东村: a hotline record (overdue), a referral closed, a village draft waiting for 受理, a returned draft and
    a refused intake at the township desk."""
    free = [h for h in households if not h.applications.open().exists()
            and not h.entitlements.open().exists()]
    if len(free) < 4:
        return
    hot = services.record_create(actor=village_staff, source=LedgerRecord.Source.HOTLINE, household=free[0],
                                 need="12345热线反映：户主长期患病，子女上学负担重", assistance=["dibao", "education"],
                                 found_on=today - dt.timedelta(days=25), due_date=today - dt.timedelta(days=3))
    assert hot.is_overdue
    ref = services.record_create(actor=village_staff, source=LedgerRecord.Source.VILLAGE_REPORT, household=free[1],
                                 need="村民小组长报告：房屋漏雨", assistance=["housing"])
    services.record_close(actor=village_staff, record=ref, outcome=LedgerRecord.Outcome.REFERRED_DEPARTMENT,
                          note="转介住建部门危房改造")
    record = services.record_create(actor=village_staff, source=LedgerRecord.Source.SELF_REPORT, household=free[2],
                                    need="本人申报：务工收入中断，家庭无稳定收入", assistance=["dibao"])
    try:
        screening.screening_open(actor=village_staff, household=free[2], reason="务工收入中断，家庭生活困难",
                                 chosen=["dibao"], record=record)
    except ValidationError:  # a demo household the means test refuses keeps its open record
        pass
    returned = intake.application_draft(actor=village_staff, household=free[3], reason="家庭困难，申请低保")
    workflow.transition(actor=caseworker, application=returned, action="return_draft",
                        reason="缺少家庭成员收入证明，请补充后重新代办")
    intake.intake_refuse(actor=caseworker, household=free[3], kind=Application.Kind.TEKUN,
                         reason="户主52岁，有劳动能力，不属于特困人员供养对象，可申请低保")
