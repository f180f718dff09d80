"""Demo payments: synthetic cards for most paid households (a few missing), a death hold, price indices
with the linkage on from November 2026, and batches for 武陟县 (Oct, Nov closed; Dec awaiting finance)
and 温县 (Dec draft)."""
import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Entitlement, PaymentHold, Person
from core import bulk
from core.models import Region
from funds import services
from funds.models import PayeeAccount, PaymentBatch, PriceIndex

BANKS = ["中国农业银行焦作分行", "焦作中旅银行", "河南农商银行", "中国邮政储蓄银行焦作分行", "中国建设银行焦作分行"]
PAID = ["dibao", "tekun_central", "tekun_dispersed", "dibao_edge"]


def synthetic_card(rng: random.Random) -> str:
    """A valid-looking 19-digit card number (Luhn check digit); never a real card."""
    body = "623" + "".join(str(rng.randrange(10)) for _ in range(15))
    digits = [int(d) for d in body][::-1]
    total = sum(d if i % 2 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits))
    return body + str((10 - total % 10) % 10)


PAYEE_SLICE = 20_000


def seed_payees(rng: random.Random, household_ids=None, missing_ratio: float = 0.04) -> int:
    qs = Entitlement.objects.in_force().filter(category__in=PAID)
    if household_ids is not None:
        qs = qs.filter(household_id__in=household_ids)
    ids = set(qs.values_list("household_id", flat=True))
    ids -= set(PayeeAccount.objects.filter(active=True).values_list("household_id", flat=True))
    ordered, made = sorted(ids), 0
    # In slices: at 10,000,000 persons ≈1.5 million households are paid; one IN list of them and their heads as
    # model instances at once would take gigabytes. The same households get the same cards (same rng order).
    for start in range(0, len(ordered), PAYEE_SLICE):
        part = ordered[start:start + PAYEE_SLICE]
        heads = {p.household_id: p for p in Person.objects.filter(household_id__in=part, relationship="head")
                 .only("id", "household_id", "name", "county_id", "township_id", "village_id")}
        rows = []
        for hid in part:
            head = heads.get(hid)
            if head is None or rng.random() < missing_ratio:
                continue
            acc = PayeeAccount(household_id=hid, person=head, payee_name=head.name, bank_name=rng.choice(BANKS),
                               county_id=head.county_id, township_id=head.township_id, village_id=head.village_id)
            acc.set_card(synthetic_card(rng))
            rows.append(acc)
        bulk.insert(PayeeAccount, rows)  # COPY on PostgreSQL (bulk_create elsewhere)
        made += len(rows)
    return made


def _at(day: dt.date, hour: int = 10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def seed(stdout) -> None:

    if PaymentBatch.objects.exists():
        stdout.write("演示发放批次已存在，跳过。")
        return
    rng = random.Random(20261101)
    city = User.objects.filter(username="shi_admin").first()
    officer = User.objects.filter(username="wuzhi_minzheng").first()
    finance = User.objects.filter(username="wuzhi_caizheng").first()
    wenxian = User.objects.filter(username="wenxian_minzheng").first()
    if not (city and officer and finance and wenxian):
        stdout.write("缺少演示用户，跳过发放演示数据。")
        return
    with transaction.atomic():
        cards = seed_payees(rng)
        dibao = list(Entitlement.objects.filter(county_id="410823", category="dibao", status="active").order_by("id")[:12])
        held = dibao[5]
        PaymentHold.objects.create(household=held.household, kind=PaymentHold.Kind.DEATH,
                                   reason="民政-卫健死亡数据比对：户主疑似死亡，待核实", source="数据比对",
                                   county_id=held.county_id, township_id=held.township_id, village_id=held.village_id)
        PriceIndex.objects.create(month=dt.date(2026, 10, 1), cpi_yoy=Decimal("2.10"), food_cpi_yoy=Decimal("3.40"),
                                  entered_by=city)
        PriceIndex.objects.create(month=dt.date(2026, 11, 1), cpi_yoy=Decimal("2.80"), food_cpi_yoy=Decimal("6.40"),
                                  entered_by=city)
        wuzhi = Region.objects.get(code="410823")
        plan = [  # month, stamps (finalised, requested, transferred, sent, imported, closed)
            (dt.date(2026, 10, 1), [dt.date(2026, 9, 28), dt.date(2026, 9, 29), dt.date(2026, 10, 8),
                                    dt.date(2026, 10, 9), dt.date(2026, 10, 12), dt.date(2026, 10, 13)]),
            (dt.date(2026, 11, 1), [dt.date(2026, 11, 3), dt.date(2026, 11, 4), dt.date(2026, 11, 6),
                                    dt.date(2026, 11, 9), dt.date(2026, 11, 10), dt.date(2026, 11, 11)]),
        ]
        S = PaymentBatch.Status
        for month, stamps in plan:
            batch = services.batch_draft(actor=officer, county=wuzhi, month=month)
            PaymentBatch.objects.filter(pk=batch.pk).update(
                status=S.CLOSED, finalised_by=officer, finalised_at=_at(stamps[0]), funds_requested_at=_at(stamps[1]),
                approved_by=finance, transferred_at=_at(stamps[2]), transfer_reference=f"武财拨〔{month:%Y}〕{month.month}号",
                sent_at=_at(stamps[3]), result_imported_at=_at(stamps[4]), closed_at=_at(stamps[5]),
                created_at=_at(stamps[0], 9), drafted_at=_at(stamps[0], 9))
            batch.lines.filter(excluded=False).update(bank_status="paid")
        # changes since November so the December lines show their reasons (demo only)
        Entitlement.objects.filter(pk=dibao[7].pk).update(status=Entitlement.Status.PHASING_OUT, reason="收入超标，进入渐退期")
        Entitlement.objects.filter(pk=dibao[9].pk).update(monthly_amount=dibao[9].monthly_amount + Decimal("45.00"),
                                                          reason="家庭收入减少，调增救助金")
        dec = services.batch_draft(actor=officer, county=wuzhi, month=dt.date(2026, 12, 1))
        services.batch_transition(actor=officer, batch=dec, to=S.FINALISED)
        services.batch_transition(actor=officer, batch=dec, to=S.FUNDS_REQUESTED)
        services.batch_draft(actor=wenxian, county=Region.objects.get(code="410825"), month=dt.date(2026, 12, 1))
    stdout.write(f"演示发放：登记社保卡 {cards} 张，武陟县 10、11 月批次已完成，12 月批次待财政审核；温县 12 月草稿。")
