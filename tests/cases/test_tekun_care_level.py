"""§3 特困 care level drives the amount: a new self-care assessment that changes the level changes the care
standard and the monthly amount from the next month, with history and a notice; 集中 ↔ 分散 moves the category."""
import datetime as dt
from decimal import Decimal

import pytest

from cases import tasks
from cases.entitlements import changes
from cases.models import Entitlement, EntitlementChange, Notice, TekunProfile
from cases.tekun import services as tekun
from core.models import Region
from core.months import add_months, first_of_month
from tests.cases.dibao_helpers import seed_standards
from tests.factories import PersonFactory, make_id

pytestmark = pytest.mark.django_db
ALL = dict(eating=True, dressing=True, transfer=True, toilet=True, walking=True, bathing=True)
SEMI = {**ALL, "dressing": False, "walking": False}
TOTAL = {k: False for k in ALL}


@pytest.fixture
def supported(users):
    seed_standards()
    person = PersonFactory(household__village="410823101200", id_number=make_id("410823", dt.date(1940, 6, 1)))
    cw = users["zhandian_jingban"]
    profile = tekun.profile_open(actor=cw, person=person)
    tekun.self_care_assess(actor=cw, profile=profile, assessed_on=dt.date.today(), answers=SEMI)
    TekunProfile.objects.filter(pk=profile.pk).update(status="supported")
    h = person.household
    ent = Entitlement.objects.create(household=h, category="tekun_dispersed", persons_covered=1,
                                     monthly_amount=Decimal("1076.00"), start_month=dt.date(2026, 1, 1),
                                     county_id=h.county_id, township_id=h.township_id, village_id=h.village_id)
    profile.refresh_from_db()
    return profile, ent


def test_care_level_rule_new_level_changes_amount_from_next_month_with_notice(users, supported):
    profile, ent = supported
    today = dt.date.today()
    next_month = add_months(first_of_month(today), 1)
    tekun.self_care_assess(actor=users["zhandian_jingban"], profile=profile, assessed_on=today, answers=TOTAL)
    change = EntitlementChange.objects.get(entitlement=ent)
    assert (change.effective_month, change.amount_before, change.amount_after) == (
        next_month, Decimal("1076.00"), Decimal("1476.00"))  # 676 + 800 (全失能, 分散)
    ent.refresh_from_db()
    assert ent.monthly_amount == Decimal("1076.00")  # this month is still paid at the old amount
    notice = Notice.objects.get(household=profile.household, kind="change")
    assert notice.effective_month == next_month and "1476.00" in notice.reasons
    assert changes.entitlement_changes_apply(on=today) == 0  # not before its month
    assert tasks.entitlement_changes_apply.run() == 0
    assert changes.entitlement_changes_apply(on=next_month) == 1
    ent.refresh_from_db()
    assert ent.monthly_amount == Decimal("1476.00") and ent.category == "tekun_dispersed"
    assert changes.entitlement_changes_apply(on=next_month) == 0  # applied once


def test_care_level_rule_same_level_changes_nothing(users, supported):
    profile, ent = supported
    tekun.self_care_assess(actor=users["zhandian_jingban"], profile=profile, assessed_on=dt.date.today(),
                           answers={**ALL, "bathing": False})  # still 半失能
    assert not EntitlementChange.objects.exists() and not Notice.objects.filter(kind="change").exists()


def test_care_form_rule_central_placement_moves_the_category(users, supported):
    profile, ent = supported
    today = dt.date.today()
    next_month = add_months(first_of_month(today), 1)
    home = tekun.institution_create(actor=users["wuzhi_minzheng"], name="詹店镇敬老院",
                                    county=Region.objects.get(code="410823"), capacity=20)
    tekun.place_in_institution(actor=users["zhandian_jingban"], profile=profile, institution=home,
                               reason="本人自愿入住")
    change = EntitlementChange.objects.get(entitlement=ent)
    assert change.category_after == "tekun_central" and change.amount_after == Decimal("1276.00")  # 676 + 600
    changes.entitlement_changes_apply(on=next_month)
    ent.refresh_from_db()
    assert ent.status == "ended" and ent.end_month == first_of_month(today)
    new = Entitlement.objects.get(household=profile.household, category="tekun_central")
    assert (new.start_month, new.monthly_amount, new.status) == (next_month, Decimal("1276.00"), "active")


def test_care_change_history_on_the_household_page(client, users, supported):
    profile, ent = supported
    tekun.self_care_assess(actor=users["zhandian_jingban"], profile=profile, assessed_on=dt.date.today(), answers=TOTAL)
    client.force_login(users["zhandian_jingban"])
    body = client.get(f"/households/{profile.household_id}/").content.decode()
    assert "待执行" in body and "1,076.00 → 1,476.00" in body
    notice = Notice.objects.get(kind="change")
    assert "变更通知书" in client.get(f"/notices/{notice.pk}/").content.decode()
