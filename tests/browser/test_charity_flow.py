"""Browser (§8): a township caseworker refers a household from its page to the county's charity fund, proposes the
grant, the charity organisation's staff approves it and records the payment; the household page shows it."""
from decimal import Decimal

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_charity_grant_from_referral_to_payment_record(login_as, shot):
    from django.utils import timezone

    from accounts.models import User
    from charity.models import CharityGrant, Referral
    from charity.services import funds
    from core.models import Region
    from tests.factories import PersonFactory

    caseworker = login_as("zhandian_jingban")  # seeds the demo users
    officer = User.objects.get(username="wuzhi_minzheng")
    fund = funds.fund_create(actor=officer, county=Region.objects.get(code="410823"), name="武陟县社会救助专项基金",
                             organisation="武陟县慈善总会")
    funds.fund_staff_add(actor=officer, fund=fund, user=User.objects.get(username="wuzhi_cishan"))
    funds.donation_record(actor=officer, fund=fund, donor="爱心企业", amount=Decimal("10000.00"),
                          received_on=timezone.localdate())
    household = PersonFactory(household__village="410823101200").household

    caseworker.goto(f"/households/{household.pk}/")
    caseworker.click("a.btn:has-text('转介慈善帮扶')")
    caseworker.select_option("#id_source", "temp_aid_cap")
    caseworker.select_option("#id_target", "fund")
    caseworker.fill("#id_amount_asked", "3000")
    caseworker.fill("#id_need", "临时救助已达上限，户主住院费用仍有缺口")
    caseworker.click("button:has-text('转介')")
    caseworker.wait_for_selector("text=已转介")
    shot(caseworker, "referred")
    caseworker.click("a.btn:has-text('提出慈善资助')")
    caseworker.select_option("#id_reason", "illness")
    caseworker.fill("#id_amount", "2500")
    caseworker.click("button:has-text('提交审批')")
    caseworker.wait_for_selector("text=待县级民政部门或慈善组织审批")
    assert caseworker.locator("text=须由另一人审批").count() == 0  # the caseworker has no approve form at all
    shot(caseworker, "proposed")
    grant = CharityGrant.objects.get()

    staff = login_as("wuzhi_cishan")
    staff.goto("/charity/funds/")
    staff.click(f"text={fund.name}")
    staff.click(f"a[href='/charity/grants/{grant.pk}/']")
    staff.select_option("#id_decision", "approve")
    staff.click("button:has-text('提交审批')")
    staff.wait_for_selector("text=已批准待付款")
    staff.fill("#id_paid_on", timezone.localdate().isoformat())
    staff.fill("#id_reference", "WZCS-0001")
    staff.click("button:has-text('登记付款')")
    staff.wait_for_selector("text=凭证号 WZCS-0001")
    shot(staff, "paid")

    grant.refresh_from_db()
    fund.refresh_from_db()
    assert grant.status == "paid" and fund.balance == Decimal("7500.00")
    assert Referral.objects.get().status == "granted"
    caseworker.goto(f"/households/{household.pk}/")
    caseworker.wait_for_selector("text=慈善帮扶与社会力量")
    assert caseworker.locator("#charity ~ table >> text=已付款").count() == 1
    shot(caseworker, "household")
