"""§12 近亲属备案: registration, matching against the registry, recusal, re-verification."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from audit import selectors, services
from audit.models import StaffMember
from cases.models import Entitlement, RelativeLink
from cases.supervision import services as case_services
from core.models import AuditEvent, Region
from tests.factories import PersonFactory, make_id

pytestmark = pytest.mark.django_db


def _staff(users, **kw):
    defaults = dict(name="刘洋", id_number=make_id("410823", dt.date(1988, 3, 9)), kind=StaffMember.Kind.TOWNSHIP,
                    workplace="詹店镇人民政府", region=Region.objects.get(code="410823101"),
                    user=users["zhandian_jingban"])
    defaults.update(kw)
    return services.staff_register(actor=users["wuzhi_minzheng"], **defaults)


def test_registering_a_relative_links_the_household_and_the_staff_member_must_recuse(users):
    """§12: a registered relative's household is flagged and the related staff member cannot act on it."""
    relative = PersonFactory(household__village="410823101200")
    staff = _staff(users)
    services.relative_add(actor=users["wuzhi_minzheng"], staff=staff, name=relative.name,
                          id_number=relative.reveal_id_number(), relation="parent")
    assert RelativeLink.objects.filter(registry_ref=staff.registry_ref, id_index=relative.id_index).exists()
    assert case_services.must_recuse(actor=users["zhandian_jingban"], household_id=relative.household_id)
    assert not case_services.must_recuse(actor=users["zhandian_shenpi"], household_id=relative.household_id)
    assert AuditEvent.objects.filter(action="relatives.add").exists()


def test_registry_matches_list_relatives_with_their_entitlements_separately(users):
    relative = PersonFactory(household__village="410823101200")
    h = relative.household
    Entitlement.objects.create(household=h, county_id=h.county_id, township_id=h.township_id, village_id=h.village_id,
                               category="dibao", persons_covered=1, monthly_amount="300.00",
                               start_month=dt.date(2026, 1, 1))
    PersonFactory(household__village="410823101201")  # not a relative
    staff = _staff(users)
    services.relative_add(actor=users["wuzhi_minzheng"], staff=staff, name=relative.name,
                          id_number=relative.reveal_id_number(), relation="sibling")
    rows = selectors.relative_matches(user=users["wuzhi_choucha"])
    assert [r["person"].pk for r in rows] == [relative.pk]
    assert rows[0]["entitlements"][0].category == "dibao"
    assert selectors.relative_matches(user=users["wenxian_minzheng"]) == []  # another county sees nothing


def test_registry_matches_show_a_relative_of_another_countys_staff_where_the_case_is(users):
    """A 温县 cadre's sibling receiving 低保 in 武陟: 武陟 supervises the case (and the nightly alert for it
    goes to 武陟 and links here), so 武陟's list shows it; 温县 does not see 武陟's households."""
    relative = PersonFactory(household__village="410823101200")
    staff = services.staff_register(actor=users["wenxian_minzheng"], name="刘洋", id_number=make_id("410825"),
                                    kind=StaffMember.Kind.CIVIL_AFFAIRS, workplace="温县民政局",
                                    region=Region.objects.get(code="410825"))
    services.relative_add(actor=users["wenxian_minzheng"], staff=staff, name=relative.name,
                          id_number=relative.reveal_id_number(), relation="sibling")
    rows = selectors.relative_matches(user=users["wuzhi_choucha"])
    assert [r["person"].pk for r in rows] == [relative.pk]
    assert [link.staff_name for link in rows[0]["links"]] == ["刘洋"]
    assert selectors.relative_matches(user=users["wenxian_minzheng"]) == []


def test_deactivated_staff_no_longer_flags_cases(users):
    relative = PersonFactory(household__village="410823101200")
    staff = _staff(users)
    services.relative_add(actor=users["wuzhi_minzheng"], staff=staff, name=relative.name,
                          id_number=relative.reveal_id_number(), relation="child")
    services.staff_deactivate(actor=users["wuzhi_minzheng"], staff=staff, reason="调离")
    assert not RelativeLink.objects.filter(registry_ref=staff.registry_ref).exists()


def test_staff_cannot_register_themselves_as_relative_and_duplicates_are_refused(users):
    own_id = make_id("410823", dt.date(1988, 3, 9))
    staff = _staff(users, id_number=own_id)
    with pytest.raises(ValidationError, match="本人"):
        services.relative_add(actor=users["wuzhi_minzheng"], staff=staff, name="刘洋", id_number=own_id,
                              relation="sibling")
    with pytest.raises(ValidationError, match="已备案"):
        _staff(users, id_number=own_id, name="另一人")


def test_bad_id_number_gets_the_specific_message(users):
    with pytest.raises(ValidationError) as exc:
        _staff(users, id_number="410823198803091234")
    assert "校验位" in str(exc.value)


def test_only_county_officer_registers_and_only_in_own_county(users):
    with pytest.raises(ValidationError):
        _staff(users, region=Region.objects.get(code="410825101"))  # 温县 township, officer of 武陟县
    with pytest.raises(ValidationError):
        services.staff_register(actor=users["zhandian_jingban"], name="x", id_number=make_id(),
                                kind="township", workplace="x", region=Region.objects.get(code="410823101"))


def test_reverification_is_due_after_the_cycle_and_verify_resets_it(users):
    """§12: the registry is re-verified periodically (param relatives.reverify_months, default 12)."""
    staff = _staff(users)
    StaffMember.objects.filter(pk=staff.pk).update(last_verified_at=dt.date(2025, 1, 31))
    staff.refresh_from_db()
    assert services.reverify_due_date(staff) == dt.date(2026, 1, 31)  # twelve months on, same day
    services.staff_verify(actor=users["wuzhi_minzheng"], staff=staff, note="年度核实")
    staff.refresh_from_db()
    assert services.reverify_due_date(staff) > dt.date.today()


def test_registry_pages_scope(client, users):
    staff = _staff(users)
    client.force_login(users["wuzhi_choucha"])
    assert client.get(f"/supervision/relatives/{staff.pk}/").status_code == 200
    assert client.post(f"/supervision/relatives/{staff.pk}/verify/").status_code == 404  # reviewer reads only
    client.force_login(users["wenxian_minzheng"])
    assert client.get(f"/supervision/relatives/{staff.pk}/").status_code == 404
    client.force_login(users["zhandian_jingban"])
    assert client.get("/supervision/relatives/").status_code == 404


def test_nightly_check_flags_open_entitlements_and_applications_once(users):
    """§12: the nightly check flags every open case of a registered relative, once."""
    from audit.tasks import relatives_nightly_check
    from core.models import Alert

    relative = PersonFactory(household__village="410823101200")
    h = relative.household
    Entitlement.objects.create(household=h, county_id=h.county_id, township_id=h.township_id, village_id=h.village_id,
                               category="dibao", persons_covered=1, monthly_amount="300.00",
                               start_month=dt.date(2026, 1, 1))
    assert relatives_nightly_check() == 0  # nobody registered yet
    staff = _staff(users)
    services.relative_add(actor=users["wuzhi_minzheng"], staff=staff, name=relative.name,
                          id_number=relative.reveal_id_number(), relation="parent")
    assert relatives_nightly_check() == 1
    assert relatives_nightly_check() == 0  # already flagged
    assert Alert.objects.get(kind="relative_case").region_code == "410823"


def test_nightly_check_query_count_does_not_grow_with_flagged_cases(users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from audit.tasks import relatives_nightly_check

    staff = _staff(users)

    def relative_with_entitlement():
        relative = PersonFactory(household__village="410823101200")
        h = relative.household
        Entitlement.objects.create(household=h, county_id=h.county_id, township_id=h.township_id,
                                   village_id=h.village_id, category="dibao", persons_covered=1,
                                   monthly_amount="300.00", start_month=dt.date(2026, 1, 1))
        services.relative_add(actor=users["wuzhi_minzheng"], staff=staff, name=relative.name,
                              id_number=relative.reveal_id_number(), relation="sibling")

    def run():
        with CaptureQueriesContext(connection) as ctx:
            created = relatives_nightly_check()
        return created, len(ctx.captured_queries)

    relative_with_entitlement()
    created, one = run()
    assert created == 1
    for _ in range(3):
        relative_with_entitlement()
    assert run() == (3, one)
    assert run()[0] == 0
