"""Harness entries for the social-forces pages and API (charity:*, charity-fund-*, referral-*,
mutual-aid-society-*, pairing-*, service-contract-*, service-record-*).

The fund and the contracts are county rows (region="410823"): township and village users are outside them. The
three narrowed roles are linked in the world: wuzhi_cishan works for the 武陟县 fund, wuzhi_fuwu for the provider,
zhandian_bangfu is the helper of the world household's pairing; so the region rule of the harness holds for them.
"""
import datetime as dt
from decimal import Decimal

from accounts.scope import Action as A
from tests.harness import VILLAGE, api, page, part

COUNTY = "410823"


def _today():
    from django.utils import timezone

    return timezone.localdate()


@part("charity_fund")
def _fund(w):
    from charity.services import funds
    from core.models import Region

    f = funds.fund_create(actor=w.users["wuzhi_minzheng"], county=Region.objects.get(code=COUNTY),
                          name="武陟县社会救助专项基金", organisation="武陟县慈善总会")
    funds.fund_staff_add(actor=w.users["wuzhi_minzheng"], fund=f, user=w.users["wuzhi_cishan"])
    funds.donation_record(actor=w.users["wuzhi_minzheng"], fund=f, donor="爱心企业", amount=Decimal("9000.00"),
                          received_on=_today())
    return f


@part("charity_referral")
def _referral(w):
    from charity.services import referrals

    w.get("charity_fund")
    return referrals.referral_create(actor=w.users["zhandian_jingban"], household=w.household, source="temp_aid_cap",
                                     target="fund", need="临时救助已达上限仍有困难", amount_asked=Decimal("1000.00"))


@part("charity_grant")
def _grant(w):
    from charity.services import funds

    w.get("charity_fund")
    return funds.grant_propose(actor=w.users["zhandian_jingban"], household=w.household, reason="illness",
                               detail="户主重病住院", amount=Decimal("800.00"))


@part("society")
def _society(w):
    from charity.services import mutual_aid
    from core.models import Region

    s = mutual_aid.society_create(actor=w.users["heying_cun"], village=Region.objects.get(code=VILLAGE),
                                  name="何营东村救急难互助社", max_grant=Decimal("2000.00"), deciders="理事会集体研究决定")
    mutual_aid.contribution_record(actor=w.users["heying_cun"], society=s, contributor="村民甲", kind="money",
                                   amount=Decimal("3000.00"), received_on=_today())
    return s


@part("pairing")
def _pairing(w):
    from charity.services import pairing
    from core.models import Region

    helper = pairing.helper_create(actor=w.users["zhandian_jingban"], township=Region.objects.get(code=VILLAGE[:9]),
                                   name="秦勇", kind="cadre", user=w.users["zhandian_bangfu"])
    return pairing.pairing_create(actor=w.users["zhandian_jingban"], helper=helper, household=w.household,
                                  start=_today() - dt.timedelta(days=30))


@part("contract")
def _contract(w):
    from charity.services import purchased
    from core.models import Region

    p = purchased.provider_create(actor=w.users["wuzhi_minzheng"], county=Region.objects.get(code=COUNTY),
                                  name="武陟县康养服务中心", credit_code="52410823MJ7654321Y", contact_name="马丽",
                                  contact_phone="13903910002")
    purchased.provider_staff_add(actor=w.users["wuzhi_minzheng"], provider=p, user=w.users["wuzhi_fuwu"])
    return purchased.contract_create(actor=w.users["wuzhi_minzheng"], provider=p, number="WZ-HARNESS-01",
                                     start=_today() - dt.timedelta(days=60), end=_today() + dt.timedelta(days=300),
                                     budget=Decimal("10000.00"), prices={"care": ("hour", Decimal("30.00"))})


@part("order")
def _order(w):
    from charity.services import purchased

    return purchased.order_create(actor=w.users["zhandian_jingban"], contract=w.get("contract"), person=w.person,
                                  kind="care", start=_today() - dt.timedelta(days=5))


def _record_payload(w):
    return {"order": w.get("order").pk, "on": str(_today()), "hours": "2.0", "content": "上门照料",
            "staff_name": "护理员", "confirmed_by": "family", "confirmer_name": "家属"}


def _record(w):
    from charity.services import purchased

    d = _record_payload(w)
    d.pop("order")
    d["hours"], d["on"] = Decimal(d["hours"]), _today()
    return purchased.record_add(actor=w.users["wuzhi_fuwu"], order=w.get("order"), **d)


V = A.CHARITY_VIEW
ENTRIES = [
    page("charity:index", "/charity/", public=True, anonymous=302, ok=302, scoped=False,
         note="a redirect to the fund list, which checks the login"),
    page("charity:fund_list", "/charity/funds/", V, scoped=False),
    page("charity:fund_detail", lambda w: f"/charity/funds/{w.get('charity_fund').pk}/", V, region=COUNTY),
    page("charity:fund_statement", lambda w: f"/charity/funds/{w.get('charity_fund').pk}/statement/", V,
         region=COUNTY),
    page("charity:grant_list", "/charity/grants/", V, scoped=False),
    page("charity:grant_create", lambda w: f"/charity/grants/new/?household={w.household.pk}", A.CHARITY_PROPOSE),
    page("charity:grant_detail", lambda w: f"/charity/grants/{w.get('charity_grant').pk}/", V),
    page("charity:referral_list", "/charity/referrals/", V, scoped=False),
    page("charity:referral_create", lambda w: f"/charity/referrals/new/?household={w.household.pk}",
         A.CHARITY_PROPOSE),
    page("charity:referral_detail", lambda w: f"/charity/referrals/{w.get('charity_referral').pk}/", V,
         expect={"wuzhi_cishan": 200}),
    page("charity:society_list", "/charity/societies/", V, scoped=False),
    page("charity:society_detail", lambda w: f"/charity/societies/{w.get('society').pk}/", V,
         expect={"wuzhi_cishan": 200}),
    page("charity:society_account", lambda w: f"/charity/societies/{w.get('society').pk}/account/", V,
         expect={"wuzhi_cishan": 200}),
    page("charity:pairing_list", "/charity/pairings/", A.PAIRING_VIEW, scoped=False),
    page("charity:pairing_detail", lambda w: f"/charity/pairings/{w.get('pairing').pk}/", A.PAIRING_VIEW),
    page("charity:unpaired", "/charity/pairings/unpaired/", (A.PAIRING_CHANGE, A.CHARITY_MANAGE), scoped=False),
    page("charity:contract_list", "/charity/services/contracts/", A.SERVICE_VIEW, scoped=False),
    page("charity:contract_detail", lambda w: f"/charity/services/contracts/{w.get('contract').pk}/", A.SERVICE_VIEW,
         region=COUNTY),
    page("charity:order_list", "/charity/services/orders/", A.SERVICE_VIEW, scoped=False),
    page("charity:order_detail", lambda w: f"/charity/services/orders/{w.get('order').pk}/", A.SERVICE_VIEW),
    page("charity:coverage", "/charity/services/coverage/", (A.SERVICE_ORDER, A.SERVICE_MANAGE), scoped=False),
    # API
    api("charity-fund-list", "/api/v1/charity-funds/", V, scoped=False),
    api("charity-fund-detail", lambda w: f"/api/v1/charity-funds/{w.get('charity_fund').pk}/", V, region=COUNTY),
    api("charity-fund-donations", lambda w: f"/api/v1/charity-funds/{w.get('charity_fund').pk}/donations/", V,
        region=COUNTY),
    api("charity-fund-donations", lambda w: f"/api/v1/charity-funds/{w.get('charity_fund').pk}/donations/",
        A.CHARITY_APPROVE, method="post", ok=201, region=COUNTY, read_action=V,
        data={"donor": "爱心人士", "amount": "100.00", "received_on": "2026-01-05"}),
    api("charity-fund-grants", lambda w: f"/api/v1/charity-funds/{w.get('charity_fund').pk}/grants/", V,
        region=COUNTY),
    api("charity-fund-grants", lambda w: f"/api/v1/charity-funds/{w.get('charity_fund').pk}/grants/",
        A.CHARITY_PROPOSE, method="post", ok=201, read_action=V,
        data=lambda w: {"household": w.household.pk, "reason": "illness", "detail": "重病住院治疗", "amount": "500.00"},
        expect={"heying_cun": 404}, note="village staff read referrals and societies but not the county fund"),
    api("charity-fund-grant-decide",
        lambda w: f"/api/v1/charity-funds/{w.get('charity_fund').pk}/grants/{w.get('charity_grant').pk}/decide/",
        A.CHARITY_APPROVE, method="post", data={"approve": True}, region=COUNTY, read_action=V),
    api("charity-fund-grant-pay",
        lambda w: f"/api/v1/charity-funds/{w.get('charity_fund').pk}/grants/{w.get('charity_grant').pk}/pay/",
        A.CHARITY_APPROVE, method="post", data={"paid_on": "2026-01-05", "reference": "PZ1"}, region=COUNTY,
        read_action=V, ok=400, note="a proposed grant is not yet payable: the service refuses (400) in scope"),
    api("referral-list", "/api/v1/referrals/", V, scoped=False),
    api("referral-list", "/api/v1/referrals/", A.CHARITY_PROPOSE, method="post", ok=201, scoped=False,
        out_of_scope=404, read_action=V,
        data=lambda w: (w.get("charity_fund"), {"household": w.household.pk, "source": "refused", "target": "fund",
                                                 "need": "申请未获确认但确有困难", "amount_asked": "600.00"})[1]),
    api("referral-detail", lambda w: f"/api/v1/referrals/{w.get('charity_referral').pk}/", V,
        expect={"wuzhi_cishan": 200}),
    api("mutual-aid-society-list", "/api/v1/mutual-aid-societies/", V, scoped=False),
    api("mutual-aid-society-detail", lambda w: f"/api/v1/mutual-aid-societies/{w.get('society').pk}/", V,
        expect={"wuzhi_cishan": 200}),
    api("mutual-aid-society-account", lambda w: f"/api/v1/mutual-aid-societies/{w.get('society').pk}/account/", V,
        expect={"wuzhi_cishan": 200}),
    api("mutual-aid-society-grants", lambda w: f"/api/v1/mutual-aid-societies/{w.get('society').pk}/grants/", V,
        expect={"wuzhi_cishan": 200}),
    api("mutual-aid-society-grants", lambda w: f"/api/v1/mutual-aid-societies/{w.get('society').pk}/grants/",
        A.MUTUAL_AID_CHANGE, method="post", ok=201, read_action=V,
        data=lambda w: {"household": w.household.pk, "amount": "500.00", "reason": "失火",
                        "decided_on": "2026-01-05", "decision": "理事会集体研究同意"},
        expect={"wuzhi_cishan": 403}),
    api("pairing-list", "/api/v1/pairings/", A.PAIRING_VIEW, scoped=False),
    api("pairing-detail", lambda w: f"/api/v1/pairings/{w.get('pairing').pk}/", A.PAIRING_VIEW),
    api("pairing-contacts", lambda w: f"/api/v1/pairings/{w.get('pairing').pk}/contacts/", A.PAIRING_CONTACT,
        method="post", ok=201, read_action=A.PAIRING_VIEW,
        data={"on": "2026-12-01", "way": "visit", "help_given": "送米面油", "value": "100.00"}),
    api("service-contract-list", "/api/v1/service-contracts/", A.SERVICE_VIEW, scoped=False),
    api("service-contract-detail", lambda w: f"/api/v1/service-contracts/{w.get('contract').pk}/", A.SERVICE_VIEW,
        region=COUNTY),
    api("service-record-list", "/api/v1/service-records/", A.SERVICE_VIEW, scoped=False),
    api("service-record-detail", lambda w: f"/api/v1/service-records/{_record(w).pk}/", A.SERVICE_VIEW),
    api("service-record-list", "/api/v1/service-records/", A.SERVICE_RECORD, method="post", ok=201, scoped=False,
        out_of_scope=404, read_action=A.SERVICE_VIEW, data=_record_payload),
]
