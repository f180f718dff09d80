"""Browser (issue #21): the township caseworker assigns the month's re-checks in bulk (全选, pick a caseworker,
批量分派); the county officer's batch page numbers the paid lines 1..N like the 一卡通 file."""
import datetime as dt
import re
from decimal import Decimal

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _recheck(village: str):
    from cases.dibao import rechecks
    from cases.models import Entitlement, Recheck
    from tests.factories import PersonFactory

    hh = PersonFactory(household__village=village).household
    ent = Entitlement.objects.create(household=hh, category="dibao", persons_covered=2,
                                     monthly_amount=Decimal("600.00"), start_month=dt.date(2025, 1, 1),
                                     next_recheck=dt.date(2026, 11, 10), county_id=hh.county_id,
                                     township_id=hh.township_id, village_id=hh.village_id)
    rechecks.recheck_list_month(month=dt.date(2026, 11, 1))
    return Recheck.objects.get(entitlement=ent)


def test_caseworker_assigns_rechecks_in_bulk(login_as, shot):
    from cases.models import Recheck

    page = login_as("zhandian_jingban")
    mine = [_recheck("410823101200") for _ in range(3)]
    other = _recheck("410823102200")  # 西陶镇: not on her list
    page.goto("/rechecks/?month=2026-11")
    assert page.locator("input[name=ids]").count() == 3
    page.click("[data-check-all=ids]")
    assert page.locator("input[name=ids]:checked").count() == 3
    page.select_option("#assignee", label="詹店镇经办 刘洋")
    shot(page, "1-selected")
    page.click("text=批量分派")
    page.wait_for_selector("text=已将 3 户复核分派给詹店镇经办 刘洋")
    shot(page, "2-assigned")
    assigned = dict(Recheck.objects.values_list("pk", "assigned_to__username"))
    assert all(assigned[r.pk] == "zhandian_jingban" for r in mine) and assigned[other.pk] is None
    assert page.locator("td", has_text="詹店镇经办 刘洋").count() == 3


def test_batch_page_numbers_paid_lines_without_gaps(login_as, shot):
    from accounts.models import User
    from core.models import Region
    from demo.households import seed_standards
    from funds import services
    from tests.funds.conftest import MONTH, hold, make_paid

    page = login_as("wuzhi_minzheng")
    seed_standards()
    make_paid("dibao", "310.00", 1)
    make_paid("dibao", "320.00", 1, card=False)
    held = make_paid("dibao", "330.00", 1)
    hold(held[0])
    make_paid("dibao", "340.00", 1)
    batch = services.batch_draft(actor=User.objects.get(username="wuzhi_minzheng"),
                                 county=Region.objects.get(code="410823"), month=MONTH)
    page.goto(f"/funds/batches/{batch.pk}/")
    numbers = [c.strip() for c in page.locator("table.table.small").last.locator("tbody tr td:first-child").all_inner_texts()]
    assert numbers == ["1", "2"]
    shot(page, "1-included")
    page.goto(f"/funds/batches/{batch.pk}/?view=excluded")
    numbers = [c.strip() for c in page.locator("table.table.small").last.locator("tbody tr td:first-child").all_inner_texts()]
    assert numbers == ["—", "—"] and re.search("未登记社保卡", page.content())
    shot(page, "2-excluded")
