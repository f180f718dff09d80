"""Demo social forces (§8, §10) in 武陟县: the special fund with donations, a referral answered by a grant that was
approved and paid, one pending proposal, 何营东村's mutual-aid society, pairings (one with the demo helper), a
provider with a contract, orders and records, and 特困 persons left without an order (the coverage gaps)."""
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Household, TekunProfile
from charity.models import CharityFund
from charity.services import funds, mutual_aid, pairing, purchased, referrals
from core.models import Region


def seed(stdout) -> None:
    if CharityFund.objects.exists():
        stdout.write("社会力量演示数据已存在，跳过。")
        return
    u = {x.username: x for x in User.objects.filter(username__in=[
        "wuzhi_minzheng", "wuzhi_cishan", "wuzhi_fuwu", "zhandian_jingban", "zhandian_bangfu", "heying_cun"])}
    today = timezone.localdate()
    county, zhandian, heying = (Region.objects.get(code=c) for c in ("410823", "410823101", "410823101200"))
    households = list(Household.objects.filter(township_id="410823101").order_by("id")[:8])
    if len(households) < 4:
        stdout.write("詹店镇演示家庭不足，跳过社会力量演示数据。")
        return
    with transaction.atomic():
        fund = funds.fund_create(actor=u["wuzhi_minzheng"], county=county, name="武陟县社会救助专项基金",
                                 organisation="武陟县慈善总会")
        funds.fund_staff_add(actor=u["wuzhi_minzheng"], fund=fund, user=u["wuzhi_cishan"])
        for donor, amount, days, use in (("焦作某实业有限公司", "50000.00", 90, ""), ("武陟县爱心商会", "20000.00", 40,
                                                                           "重病患者医疗救助")):
            funds.donation_record(actor=u["wuzhi_cishan"], fund=fund, donor=donor, amount=Decimal(amount),
                                  received_on=today - dt.timedelta(days=days), restricted_use=use)
        h0, h1, h2, h3 = households[:4]
        ref = referrals.referral_create(actor=u["zhandian_jingban"], household=h0, source="temp_aid_cap",
                                        target="fund", need="临时救助已达上限，户主住院透析费用仍有缺口",
                                        amount_asked=Decimal("3000.00"))
        grant = funds.grant_propose(actor=u["zhandian_jingban"], household=h0, reason="illness",
                                    detail="户主尿毒症长期透析，临时救助已达上限", amount=Decimal("3000.00"), referral=ref)
        funds.grant_decide(actor=u["wuzhi_cishan"], grant=grant, approve=True, note="符合重病资助条件")
        funds.grant_pay(actor=u["wuzhi_cishan"], grant=grant, paid_on=today, reference="WZCS-2026-0001")
        funds.grant_propose(actor=u["zhandian_jingban"], household=h1, reason="event",
                            detail="房屋因暴雨倒塌，需过渡安置", amount=Decimal("5000.00"))
        referrals.referral_create(actor=u["zhandian_jingban"], household=h2, source="refused", target="fund",
                                  need="低保申请未获确认，但子女就学负担重", amount_asked=Decimal("2000.00"))
        society = mutual_aid.society_create(actor=u["heying_cun"], village=heying, name="何营东村救急难互助社",
                                            max_grant=Decimal("2000.00"), deciders="理事会集体研究决定（过半数同意）",
                                            rules="互助金用于本村突发急难家庭；单次不超过2000元；每年公开账目。")
        for name, post in (("马建军", "chair"), ("杨丽", "board"), ("何营东村委会", "member")):
            mutual_aid.member_add(actor=u["heying_cun"], society=society, name=name,
                                  kind="unit" if name.endswith("会") else "person", post=post)
        mutual_aid.contribution_record(actor=u["heying_cun"], society=society, contributor="马建军", kind="money",
                                       amount=Decimal("3000.00"), received_on=today - dt.timedelta(days=60))
        mutual_aid.contribution_record(actor=u["heying_cun"], society=society, contributor="何营东村超市",
                                       kind="in_kind", amount=Decimal("600.00"), goods="大米20袋、食用油10桶",
                                       received_on=today - dt.timedelta(days=30))
        village_h = Household.objects.filter(village=heying).order_by("id").first()
        if village_h is not None:
            mutual_aid.society_grant(actor=u["heying_cun"], society=society, household=village_h,
                                     amount=Decimal("1500.00"), reason="家中失火", decided_on=today,
                                     decision="理事会集体研究，5人同意")
        helper = pairing.helper_create(actor=u["zhandian_jingban"], township=zhandian, name="秦勇", kind="cadre",
                                       organisation="詹店镇人民政府", contact="0391-7000000", user=u["zhandian_bangfu"])
        company = pairing.helper_create(actor=u["zhandian_jingban"], township=zhandian, name="焦作某实业有限公司",
                                        kind="company")
        p = pairing.pairing_create(actor=u["zhandian_jingban"], helper=helper, household=h0,
                                   start=today - dt.timedelta(days=90), goal="就医协助、政策宣传")
        pairing.pairing_create(actor=u["zhandian_jingban"], helper=helper, household=h3,
                               start=today - dt.timedelta(days=60), goal="就业帮扶")
        pairing.pairing_create(actor=u["zhandian_jingban"], helper=company, household=h1,
                               start=today - dt.timedelta(days=30), goal="房屋修缮")
        pairing.contact_log(actor=u["zhandian_bangfu"], pairing=p, on=today - dt.timedelta(days=7), way="visit",
                            help_given="陪同复诊，送米面油", value=Decimal("200.00"))
        provider = purchased.provider_create(actor=u["wuzhi_minzheng"], county=county, name="武陟县康养服务中心",
                                             credit_code="52410823MJ0000001X", contact_name="马丽",
                                             contact_phone="13903910001")
        purchased.provider_staff_add(actor=u["wuzhi_minzheng"], provider=provider, user=u["wuzhi_fuwu"])
        contract = purchased.contract_create(
            actor=u["wuzhi_minzheng"], provider=provider, number=f"WZ-GMFW-{today.year}-01",
            start=today.replace(month=1, day=1), end=today.replace(month=12, day=31), budget=Decimal("20000.00"),
            prices={"visit": ("time", Decimal("50.00")), "care": ("hour", Decimal("30.00")),
                    "counselling": ("hour", Decimal("120.00")), "linking": ("time", Decimal("80.00"))})
        gaps = list(TekunProfile.objects.filter(county_id="410823", status="supported", form="dispersed")
                    .select_related("person").order_by("id")[:3])
        persons = [t.person for t in gaps[:1]] or [h0.members.order_by("id").first()]
        for person in persons:
            order = purchased.order_create(actor=u["zhandian_jingban"] if person.township_id == zhandian.code
                                           else u["wuzhi_minzheng"], contract=contract, person=person, kind="care",
                                           start=today - dt.timedelta(days=20), plan="每周上门照料2次")
            purchased.record_add(actor=u["wuzhi_fuwu"], order=order, on=today - dt.timedelta(days=3),
                                 hours=Decimal("2.0"), content="助餐、打扫卫生、测量血压", staff_name="护理员 李娟",
                                 confirmed_by="family", confirmer_name="家属")
    stdout.write("社会力量演示数据：专项基金、转介与资助、互助社、结对帮扶、购买服务已生成。")
