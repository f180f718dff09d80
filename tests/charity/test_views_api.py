"""Pages and API of the social forces: the household page panel, refusals shown in Chinese with nothing lost,
masked data for the narrowed roles, the printable statement and public account."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from charity.models import CharityGrant
from charity.services import funds, mutual_aid, pairing, purchased
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_household_page_shows_charity_grants_beside_government_aid(client, users, fund):
    h = HouseholdFactory()
    g = funds.grant_propose(actor=users["zhandian_jingban"], household=h, reason="illness", detail="重病住院治疗",
                            amount=Decimal("700.00"))
    client.force_login(users["zhandian_jingban"])
    body = client.get(f"/households/{h.pk}/").content.decode()
    assert "慈善帮扶与社会力量" in body and f"/charity/grants/{g.pk}/" in body and "700.00" in body
    assert "转介慈善帮扶" in body


def test_bad_grant_input_is_refused_in_chinese_and_nothing_is_written(client, users, fund):
    h = HouseholdFactory()
    client.force_login(users["zhandian_jingban"])
    resp = client.post(f"/charity/grants/new/?household={h.pk}",
                       {"household": h.pk, "reason": "illness", "amount": "0", "detail": "重病"})
    assert resp.status_code == 200 and not CharityGrant.objects.exists()
    body = resp.content.decode()
    assert "金额须大于0" in body or "困难情况" in body
    assert 'value="重病"' in body or "重病</textarea>" in body


def test_api_two_person_rule_and_payment(client, users, fund):
    h = HouseholdFactory()
    client.force_login(users["zhandian_jingban"])
    resp = client.post(f"/api/v1/charity-funds/{fund.pk}/grants/", {
        "household": h.pk, "reason": "event", "detail": "房屋失火重大变故", "amount": "1000.00"},
        content_type="application/json")
    assert resp.status_code == 201, resp.content
    gid = resp.json()["id"]
    client.force_login(users["wuzhi_cishan"])
    resp = client.post(f"/api/v1/charity-funds/{fund.pk}/grants/{gid}/decide/", {"approve": True},
                       content_type="application/json")
    assert resp.status_code == 200 and resp.json()["status"] == "approved"
    assert resp.json()["household_name"].endswith("户") and "*" in resp.json()["household_name"]
    resp = client.post(f"/api/v1/charity-funds/{fund.pk}/grants/{gid}/pay/",
                       {"paid_on": str(timezone.localdate()), "reference": "PZ-9"}, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["status"] == "paid"
    assert client.get(f"/api/v1/charity-funds/{fund.pk}/").json()["balance"] == "4000.00"


def test_helper_api_gets_masked_households_only(client, users, helper):
    h = HouseholdFactory(head_name="诸葛亮明")
    pairing.pairing_create(actor=users["zhandian_jingban"], helper=helper, household=h,
                           start=timezone.localdate() - dt.timedelta(days=3))
    client.force_login(users["zhandian_bangfu"])
    rows = client.get("/api/v1/pairings/").json()
    rows = rows.get("results", rows)
    assert len(rows) == 1 and rows[0]["household_name"] == "诸葛*明户" and "household" not in rows[0]
    assert client.get(f"/api/v1/households/{h.pk}/").status_code == 404
    assert client.get(f"/households/{h.pk}/").status_code == 404


def test_provider_staff_see_masked_person_and_record_service(client, users, contract):
    person = PersonFactory(name="司马相如")
    order = purchased.order_create(actor=users["zhandian_jingban"], contract=contract, person=person, kind="care",
                                   start=timezone.localdate())
    client.force_login(users["wuzhi_fuwu"])
    body = client.get(f"/charity/services/orders/{order.pk}/").content.decode()
    assert "司马*如" in body and "司马相如" not in body
    resp = client.post("/api/v1/service-records/", {
        "order": order.pk, "on": str(timezone.localdate()), "hours": "2.0", "content": "上门照料",
        "staff_name": "护理员", "confirmed_by": "person", "confirmer_name": "司马相如"},
        content_type="application/json")
    assert resp.status_code == 201 and resp.json()["cost"] == "60.00" and resp.json()["person_name"] == "司马*如"


def test_statement_and_public_account_pages(client, users, fund, society):
    h = HouseholdFactory(head_name="王大锤")
    g = funds.grant_propose(actor=users["zhandian_jingban"], household=h, reason="illness", detail="重病住院治疗",
                            amount=Decimal("1000.00"))
    funds.grant_decide(actor=users["wuzhi_minzheng"], grant=g, approve=True)
    mutual_aid.society_grant(actor=users["heying_cun"], society=society, household=h, amount=Decimal("500"),
                             reason="失火", decided_on=timezone.localdate(), decision="理事会研究同意")
    client.force_login(users["wuzhi_cishan"])
    body = client.get(f"/charity/funds/{fund.pk}/statement/").content.decode()
    assert "4,000.00" in body and "王*锤户" in body and "王大锤" not in body
    client.force_login(users["heying_cun"])
    body = client.get(f"/charity/societies/{society.pk}/account/").content.decode()
    assert "王*锤户" in body and "王大锤" not in body and "2,500.00" in body
    assert h.members.count() == 0 or "身份证" not in body


def test_unpaired_page_counts_per_township_then_lists_one_township_a_page_at_a_time(client, users):
    """A county's unpaired households are thousands: the page counts them per township in one statement and lists
    the households of the township chosen, 100 at a time; a township sees its own list and nothing else."""
    import datetime as dt
    from decimal import Decimal

    from cases.models import Entitlement
    from tests.factories import HouseholdFactory

    def urban_dibao(village, name):
        h = HouseholdFactory(hukou_type="urban", village=village, head_name=name)
        Entitlement.objects.create(household=h, category="dibao", status="active", persons_covered=1,
                                   monthly_amount=Decimal("500"), start_month=dt.date(2026, 1, 1),
                                   county_id=h.county_id, township_id=h.township_id, village_id=h.village_id)
        return h

    zhandian = [urban_dibao("410823101200", f"詹店户{i}") for i in range(3)]
    xitao = urban_dibao("410823102200", "西陶户甲")
    client.force_login(users["wuzhi_minzheng"])
    page = client.get("/charity/pairings/unpaired/").content.decode()
    assert "共 4 户" in page and "詹店镇" in page and "西陶镇" in page
    assert "詹店户0" not in page, "the county first sees counts, not 4,000 rows"
    page = client.get(f"/charity/pairings/unpaired/?township={zhandian[0].township_id}").content.decode()
    assert all(h.head_name in page for h in zhandian) and xitao.head_name not in page
    assert client.get("/charity/pairings/unpaired/?township=abc").status_code == 200  # hostile input: the summary
    client.force_login(users["zhandian_jingban"])
    page = client.get(f"/charity/pairings/unpaired/?township={xitao.township_id}").content.decode()
    assert "共 3 户" in page and xitao.head_name not in page and "西陶镇" not in page
    assert all(h.head_name in page for h in zhandian)
