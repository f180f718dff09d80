"""Demo 特困 profiles (assessments, agreements, visits — some missing or overdue on purpose), institutions,
reserve funds and 先行救助 cases in every state."""
import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Count

from accounts.models import User
from cases.models import (
    SIX_ACTIVITIES,
    CareAgreement,
    CareVisit,
    Entitlement,
    Household,
    Institution,
    Obligor,
    ReserveFund,
    ReserveFundEntry,
    SelfCareAssessment,
    TekunProfile,
    TemporaryAid,
    self_care_level,
)
from cases.standards.selectors import care_standard, tekun_basic_living
from cases.temporary_aid.services import disbursement_note
from core import workdays
from demo.synthetic import name as synth_name

TOWNSHIP_STAFF = {"410823101": "zhandian_jingban", "410823102": "xitao_jingban", "410825101": "xiangyun_jingban"}


def seed(stdout) -> None:
    if Institution.objects.exists():
        stdout.write("特困/临时救助演示数据已存在，跳过。")
        return
    rng = random.Random(44)
    today = dt.date(2026, 11, 28)
    users = {u.username: u for u in User.objects.all()}
    with transaction.atomic():
        inst = {
            "410823": Institution.objects.create(name="武陟县詹店镇敬老院", county_id="410823", township_id="410823101",
                                                 address="詹店镇政府东200米", capacity=60, nursing_beds=20),
            "410825": Institution.objects.create(name="温县社会福利中心", county_id="410825", capacity=120,
                                                 nursing_beds=50, address="温县城区"),
        }
        Institution.objects.create(name="武陟县西陶镇敬老院", county_id="410823", township_id="410823102",
                                   capacity=40, nursing_beds=10, address="西陶镇")
        _enroll_more_tekun(rng, today)
        n = 0
        for ent in Entitlement.objects.filter(category__in=["tekun_dispersed", "tekun_central"]).select_related(
                "household"):
            person = ent.household.members.order_by("id").first()
            central = ent.category == "tekun_central"
            profile = TekunProfile.objects.create(
                person=person, household=ent.household, status="supported",
                form="central" if central else "dispersed", institution=inst[ent.county_id] if central else None,
                incapacity="age_60" if person.age_on(today) >= 60 else "disability", no_income_source=True,
                no_able_obligor=True, can_express_wishes=rng.random() > 0.1,
                county_id=ent.county_id, township_id=ent.township_id, village_id=ent.village_id)
            actor = users[TOWNSHIP_STAFF[ent.township_id]]
            answers = {code: rng.random() > 0.35 for code, _ in SIX_ACTIVITIES}
            assessed = today - dt.timedelta(days=rng.choice([40, 120, 200, 380]))
            SelfCareAssessment.objects.create(profile=profile, assessed_on=assessed, assessor=actor,
                                              level=self_care_level(sum(not v for v in answers.values())), **answers)
            profile.self_care_level = self_care_level(sum(not v for v in answers.values()))
            profile.last_assessed_on = assessed

            Obligor.objects.create(profile=profile, name=synth_name(rng), relation=rng.choice(["儿子", "女儿", "侄子"]),
                                   able_to_support=False,
                                   reason=rng.choice(["本人重度残疾、无收入", "本人为低保对象，无赡养能力", "长期患病，无劳动能力"]))
            if not central:
                roll = rng.random()
                if roll < 0.75:  # valid agreement (some ending soon)
                    end = today + dt.timedelta(days=rng.choice([15, 25, 200, 300]))
                    ag = CareAgreement(profile=profile, carer_name=("村医" if roll < 0.2 else "邻居") + str(n % 7 + 1),
                                       carer_relation="村医" if roll < 0.2 else "邻居", duties="日常照料、定期探望、就医陪护",
                                       monthly_fee=Decimal("100.00"), start=end - dt.timedelta(days=364), end=end,
                                       signed_on=end - dt.timedelta(days=370), created_by=actor)
                    ag.set_phone(f"139{rng.randrange(10000000, 99999999)}")
                    ag.save()
                elif roll < 0.88:  # expired agreement
                    ag = CareAgreement(profile=profile, carer_name="亲属", carer_relation="侄子", duties="日常照料",
                                       monthly_fee=Decimal("80.00"), start=today - dt.timedelta(days=500),
                                       end=today - dt.timedelta(days=135), signed_on=today - dt.timedelta(days=505),
                                       created_by=actor)
                    ag.save()
                village_staff = User.objects.filter(role="village_staff", region_id=profile.village_id).first()
                if village_staff:
                    profile.visitor, profile.visitor_name = village_staff, village_staff.full_name
                last = today - dt.timedelta(days=rng.choice([5, 12, 20, 28, 45, 70]))
                CareVisit.objects.create(profile=profile, visited_on=last, visitor=village_staff or actor,
                                         findings="身体状况稳定，生活用品充足", needs=rng.choice(["", "冬季取暖", "就医陪护"]))
                profile.last_visit_on = last
            profile.save()
            n += 1
        funds = {}
        for code in TOWNSHIP_STAFF:
            fund = ReserveFund.objects.create(township_id=code, county_id=code[:6], balance=Decimal("50000.00"))
            ReserveFundEntry.objects.create(fund=fund, kind="top_up", amount=Decimal("50000.00"),
                                            balance_after=Decimal("50000.00"), note="2026年度备用金拨付（演示）",
                                            created_by=users["wuzhi_minzheng" if code.startswith("410823")
                                                             else "wenxian_minzheng"])
            funds[code] = fund
        leader = users["zhandian_shenpi"]
        cases = [("emergency", "家中失火，房屋部分烧毁", Decimal("3000.00"), 20, True),
                 ("expenditure", "突发脑出血住院，自付医疗费用较高", Decimal("2500.00"), 9, False),
                 ("emergency", "交通事故致家庭主要劳动力受伤", Decimal("2000.00"), 2, False)]
        households = list(funds["410823101"].township and
                          Entitlement.objects.filter(township_id="410823101", category="dibao")
                          .values_list("household_id", flat=True)[:3])

        for (kind, cause, amount, days_ago, done), hid in zip(cases, households, strict=False):  # fewer households than cases: the rest are skipped
            h = Household.objects.get(pk=hid)
            granted = today - dt.timedelta(days=days_ago)
            fund = funds["410823101"]
            fund.balance -= amount
            aid = TemporaryAid.objects.create(
                household=h, aid_type=kind, track="fast", cause=cause, handling_township_id="410823101",
                amount=amount, granted_by=leader, granted_on=granted, paperwork_due=workdays.add_workdays(granted, 5),
                status="completed" if done else "pending_paperwork", county_id=h.county_id, township_id=h.township_id,
                village_id=h.village_id, paperwork="经入户核实，情况属实，按规定先行救助，现金发放，凭证已归档。" if done else "",
                paperwork_submitted_on=granted + dt.timedelta(days=3) if done else None)
            ReserveFundEntry.objects.create(fund=fund, kind="disbursement", amount=amount, balance_after=fund.balance,
                                            aid=aid, note=disbursement_note(aid), created_by=leader)
        funds["410823101"].save(update_fields=["balance"])
    stdout.write(f"特困演示档案 {n} 人；备用金 3 个乡镇；先行救助 3 件。")


def _enroll_more_tekun(rng, today) -> None:
    """Single elderly members living alone without an entitlement become 特困 in the demo (about 40)."""


    candidates = (Household.objects.annotate(n=Count("members")).filter(n=1, entitlements__isnull=True)
                  .order_by("id"))
    added = 0
    for h in candidates:
        person = h.members.first()
        if person.age_on(today) < 65 or h.incomes.filter(kind="wages").exists():
            continue
        central = rng.random() < 0.2
        amount = tekun_basic_living(h.county_id, h.hukou_type, today) + care_standard(
            h.county_id, "semi", "central" if central else "dispersed", today)
        Entitlement.objects.create(household=h, category="tekun_central" if central else "tekun_dispersed",
                                   persons_covered=1, monthly_amount=amount, start_month=dt.date(2025, 7, 1),
                                   reason="演示数据", county_id=h.county_id, township_id=h.township_id,
                                   village_id=h.village_id)
        added += 1
        if added >= 40:
            break
