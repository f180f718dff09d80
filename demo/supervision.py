"""Demo supervision data: staff and village cadres with registered relatives (some of them receiving
assistance, so the 60 % stratum and recusal have something to show) and a complaints ledger."""
import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from audit import services, spotchecks
from audit.models import Complaint, StaffMember
from cases.models import Household
from core.models import Region
from demo import synthetic


def seed(stdout) -> None:
    if StaffMember.objects.exists():
        stdout.write("监督检查演示数据已存在，跳过。")
        return
    officer = User.objects.get(username="wuzhi_minzheng")
    rng = random.Random(2026_12)
    ids = synthetic.IdFactory(rng)
    with transaction.atomic():
        zhandian = Region.objects.get(code="410823101")
        heying = Region.objects.get(code="410823101200")
        staff = [
            services.staff_register(actor=officer, name="刘洋", id_number=ids.make("410823", dt.date(1988, 3, 9), "M"),
                                    kind=StaffMember.Kind.TOWNSHIP, workplace="詹店镇人民政府", position="社会救助经办",
                                    region=zhandian, user=User.objects.get(username="zhandian_jingban")),
            services.staff_register(actor=officer, name="杨丽", id_number=ids.make("410823", dt.date(1990, 7, 2), "F"),
                                    kind=StaffMember.Kind.VILLAGE_CADRE, workplace="何营东村委会", position="社会救助专干",
                                    region=heying, user=User.objects.get(username="heying_cun")),
            services.staff_register(actor=officer, name="马建军", id_number=ids.make("410823", dt.date(1972, 1, 20), "M"),
                                    kind=StaffMember.Kind.VILLAGE_CADRE, workplace="何营东村委会", position="村党支部书记",
                                    region=heying),
        ]
        # Relatives who are members of assisted households in 詹店镇 (their cases go to the 60 % stratum).
        assisted = list(Household.objects.filter(township_id="410823101", entitlements__status="active")
                        .order_by("id").distinct()[:6])
        relations = ["parent", "sibling", "child", "parent_in_law", "spouse", "grandparent"]
        for i, household in enumerate(assisted[:4]):
            member = household.members.order_by("id").first()
            services.relative_add(actor=officer, staff=staff[i % 3], name=member.name,
                                  id_number=member.reveal_id_number(), relation=relations[i])
        for s in staff:
            services.relative_add(actor=officer, staff=s, name=synthetic.name(rng),
                                  id_number=ids.make("410823", dt.date(1955, 5, 5), "F"), relation="parent")
        StaffMember.objects.filter(pk=staff[2].pk).update(last_verified_at=dt.date(2025, 6, 30))
        _complaints(officer, rng)
        _spotcheck()
    stdout.write("监督检查演示数据：备案人员 3 人，信访投诉若干，2026年10月抽查。")


def _spotcheck() -> None:
    """武陟县 October 2026: drawn, partly reviewed, one problem answered by 詹店镇."""


    reviewer = User.objects.get(username="wuzhi_choucha")
    try:
        sc = spotchecks.spotcheck_open(actor=reviewer, county=Region.objects.get(code="410823"),
                                       month=dt.date(2026, 10, 1), seed=20261101)
    except ValidationError:
        return
    items = list(sc.items.order_by("id"))
    if items:
        first = items[0]
        visit = "县级入户核查：家庭成员、收入情况与申报一致。" if first.stratum == "relative" else ""
        spotchecks.finding_record(actor=reviewer, item=first, finding="correct", home_visit=visit)
    if len(items) > 1:
        second = items[1]
        visit = "县级入户核查：发现家庭成员在外务工收入未申报。" if second.stratum == "relative" else ""
        spotchecks.finding_record(actor=reviewer, item=second, finding="reinvestigate",
                                  reason="家庭成员外出务工收入未核实，请重新调查", home_visit=visit)


def _complaints(officer, rng) -> None:
    zhandian = Region.objects.get(code="410823101")
    xitao = Region.objects.get(code="410823102")
    county = Region.objects.get(code="410823")
    households = list(Household.objects.filter(township_id="410823101").order_by("id")[:5])
    today = dt.date(2026, 11, 27)
    samples = [
        (Complaint.Source.HOTLINE, "反映邻居家庭收入较高仍享受低保", Complaint.Category.WRONGLY_IN, zhandian, households[0], 40),
        (Complaint.Source.VISIT, "老人独居无收入，申请低保未被受理", Complaint.Category.MISSED, zhandian, households[1], 3),
        (Complaint.Source.LETTER, "低保金本月未到账", Complaint.Category.PAYMENT, xitao, None, 10),
        (Complaint.Source.ONLINE, "询问临时救助申请条件", Complaint.Category.OTHER, county, None, 1),
        (Complaint.Source.HOTLINE, "再次反映邻居家庭收入较高仍享受低保", Complaint.Category.WRONGLY_IN, zhandian, households[0], 2),
    ]
    created = []
    for source, summary, category, region, household, days_ago in samples:
        created.append(services.complaint_register(
            actor=officer, source=source, complainant_name=synthetic.name(rng), category=category, summary=summary,
            content=summary + "。请核实处理。", region=region, household=household,
            phone=f"13{rng.randrange(100000000, 999999999)}", received_on=today - dt.timedelta(days=days_ago)))
    services.complaint_step(actor=officer, complaint=created[0], action="调查核实", note="已入户核查家庭收入情况。")
    services.complaint_close(actor=officer, complaint=created[0], result="经核查，该户收入低于低保标准，符合条件。",
                             satisfied=False)
    services.complaint_step(actor=officer, complaint=created[2], action="调查核实", note="已联系银行核查发放记录。")
