"""Demo households for 詹店镇, 西陶镇 (武陟县) and 祥云镇 (温县): synthetic people, plausible facts."""
import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from cases.models import CareStandard, Entitlement, Household, IncomeItem, Person, PropertyItem, Standard
from core import audit
from core.models import Region
from demo import applications as demo_applications
from demo import support as demo_support
from demo import synthetic

PLAN = {"410823101": 900, "410823102": 700, "410825101": 500}  # township -> households
HEYING = "410823101200"
DEMO_DIBAO_STANDARD = {"urban": Decimal("650"), "rural": Decimal("520")}  # demo values, not the real standards


def seed_standards() -> None:
    """Demo standards for every county (labelled as demo values, not the published ones)."""

    if Standard.objects.exists():
        return
    counties = Region.objects.filter(level=Region.Level.COUNTY)
    start = dt.date(2026, 1, 1)
    Standard.objects.bulk_create(
        [Standard(county=c, hukou_type=h, effective_from=start, dibao_monthly=v, is_demo=True, note="演示数值")
         for c in counties for h, v in DEMO_DIBAO_STANDARD.items()]
    )
    care = {("self_care", "central"): "200", ("semi", "central"): "600", ("total", "central"): "1200",
            ("self_care", "dispersed"): "100", ("semi", "dispersed"): "400", ("total", "dispersed"): "800"}
    CareStandard.objects.bulk_create(
        [CareStandard(county=c, level=lv, form=f, effective_from=start, monthly_amount=Decimal(v), is_demo=True)
         for c in counties for (lv, f), v in care.items()]
    )


def seed(stdout) -> None:
    seed_standards()
    _seed_households(stdout)

    demo_support.seed(stdout)


def _seed_households(stdout) -> None:
    rng = random.Random(20260101)
    ids = synthetic.IdFactory(rng)
    today = dt.date(2026, 11, 1)
    first = _first_id()
    if Person.objects.with_id_number(first).exists():
        stdout.write("演示家庭已存在，跳过。")
        seed_applications(stdout)
        return
    total_h = total_p = 0
    with transaction.atomic():
        for township_code, count in PLAN.items():
            villages = list(Region.objects.filter(parent_id=township_code).order_by("code"))
            for i in range(count):
                # 何营东村 gets a visible share so its village staff has real work.
                if township_code == "410823101" and i % 10 == 0:
                    village = next(v for v in villages if v.code == HEYING)
                else:
                    village = rng.choice(villages)
                hh = synthetic.household(rng, ids, township_code[:6], village.short_name, today)
                _store(hh, village, rng)
                total_h += 1
                total_p += len(hh.members)
        audit.record(actor=None, action="demo.seed", object_type="cases.household",
                     object_repr=f"演示家庭 {total_h} 户 {total_p} 人")
    stdout.write(f"演示家庭：{total_h} 户，{total_p} 人。")
    seed_applications(stdout)


def seed_applications(stdout) -> None:

    demo_applications.seed(stdout)


def _first_id() -> str:
    rng = random.Random(20260101)
    ids = synthetic.IdFactory(rng)
    villages = list(Region.objects.filter(parent_id="410823101").order_by("code"))
    village = next(v for v in villages if v.code == HEYING)
    return synthetic.household(rng, ids, "410823", village.short_name, dt.date(2026, 11, 1)).members[0].id_number


def _store(hh: synthetic.SynthHousehold, village: Region, rng: random.Random) -> None:
    household = Household(address=hh.address, hukou_type=hh.hukou_type, head_name=hh.head_name)
    household.place_from_village(village)
    if rng.random() < 0.8:
        household.set_phone(f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}")
    household.save()
    people = []
    for sp in hh.members:
        p = Person(household=household, name=sp.name, relationship=sp.relationship,
                   disability_grade=sp.disability_grade, disability_type=sp.disability_type,
                   serious_illness=sp.serious_illness, work_capacity=sp.work_capacity,
                   employment=sp.employment, school=sp.school,
                   county_id=household.county_id, township_id=household.township_id, village_id=household.village_id)
        p.set_id_number(sp.id_number)
        people.append(p)
    Person.objects.bulk_create(people)
    IncomeItem.objects.bulk_create([
        IncomeItem(household=household, kind=kind, amount_12m=amount, employment_cost=cost,
                   description="近12个月")
        for kind, amount, cost in hh.incomes
    ])
    if hh.deposit:
        PropertyItem.objects.create(household=household, kind="deposit", value=hh.deposit, description="银行存款")
    _maybe_enroll(household, hh, rng)


def _maybe_enroll(household: Household, hh: synthetic.SynthHousehold, rng: random.Random) -> None:
    """Enroll the poorest demo households so every screen has numbers (the 低保 issue adds real cases)."""
    members = len(hh.members)
    income = sum((a - c for _, a, c in hh.incomes), Decimal("0"))
    per_capita = (income / 12 / members).quantize(Decimal("0.01"), ROUND_HALF_UP)
    standard = DEMO_DIBAO_STANDARD[hh.hukou_type]
    start = dt.date(2025, rng.randint(1, 12), 1)
    common = dict(household=household, county_id=household.county_id, township_id=household.township_id,
                  village_id=household.village_id, start_month=start, created_at=timezone.now())
    alone_elderly = members == 1 and hh.members[0].work_capacity == "none" and not hh.incomes
    if alone_elderly and rng.random() < 0.6:
        Entitlement.objects.create(category=rng.choice(["tekun_dispersed", "tekun_dispersed", "tekun_central"]),
                                   persons_covered=1, monthly_amount=(standard * Decimal("1.3")).quantize(Decimal("1")),
                                   reason="演示数据", **common)
    elif per_capita < standard and hh.deposit < 20000 and rng.random() < 0.7:
        amount = max(((standard - per_capita) * members), Decimal("30")).quantize(Decimal("0.01"))
        Entitlement.objects.create(category="dibao", persons_covered=members, monthly_amount=amount,
                                   reason="演示数据", **common)
    elif per_capita < standard * Decimal("1.5") and rng.random() < 0.2:
        Entitlement.objects.create(category="dibao_edge", persons_covered=members, monthly_amount=Decimal("0"),
                                   reason="演示数据", **common)
