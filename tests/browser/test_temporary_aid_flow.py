"""Browser: a township leader grants 小金额先行救助 and a caseworker completes its paperwork (§4)."""
from decimal import Decimal

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_leader_grants_fast_aid_and_caseworker_completes_paperwork(login_as, shot):
    from accounts.models import User
    from cases.models import TemporaryAid
    from cases.temporary_aid import services as temporary_aid
    from core.models import Region
    from demo.households import seed_standards
    from tests.factories import PersonFactory

    leader = login_as("zhandian_shenpi")  # seeds the demo users
    seed_standards()
    temporary_aid.reserve_fund_top_up(actor=User.objects.get(username="wuzhi_minzheng"),
                                      township=Region.objects.get(code="410823101"), amount=Decimal("10000"),
                                      note="拨付")
    household = PersonFactory(household__village="410823101200").household
    leader.goto("/temporary-aid/")
    leader.fill("input[name=household]", str(household.pk))
    leader.click("form >> text=先行救助")
    leader.select_option("#id_aid_type", "emergency")
    leader.fill("#id_amount", "2800")
    leader.fill("#id_cause", "家中失火，生活用品全部烧毁")
    leader.click("text=签批并发放")
    leader.wait_for_selector("text=已先行发放2800")
    shot(leader, "granted")
    aid = TemporaryAid.objects.get()
    caseworker = login_as("zhandian_jingban")
    caseworker.goto(f"/temporary-aid/{aid.pk}/")
    caseworker.fill("#id_paperwork", "经入户核实，火灾属实，已按规定先行救助，现金发放，凭证已归档。")
    caseworker.click("button:has-text('提交')")
    caseworker.wait_for_selector("text=已办结")
    shot(caseworker, "completed")
    aid.refresh_from_db()
    assert aid.status == TemporaryAid.Status.COMPLETED
