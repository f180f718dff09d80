"""§0 done-means scenarios: who reaches which household, in the pages and the API; explicit grants."""
import pytest

from accounts.services import object_grant, object_revoke
from cases.models import Household
from core.models import AuditEvent
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HEYING = "410823101200"  # 何营东村, 詹店镇
HEYING_NEIGHBOUR = "410823101201"  # another village of 詹店镇
XITAO_VILLAGE = "410823102200"  # a village of 西陶镇, 武陟县
WENXIAN_VILLAGE = "410825101201"  # a village of 祥云镇, 温县


@pytest.fixture
def homes(db):
    return {code: PersonFactory(household__village=code).household
            for code in (HEYING, HEYING_NEIGHBOUR, XITAO_VILLAGE, WENXIAN_VILLAGE)}


def _status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize(("username", "village", "want"), [
    ("heying_cun", HEYING, 200),
    ("heying_cun", HEYING_NEIGHBOUR, 404),  # done means: another village
    ("xitao_jingban", XITAO_VILLAGE, 200),
    ("xitao_jingban", HEYING, 404),  # done means: a household of 詹店镇
    ("xitao_jingban", HEYING_NEIGHBOUR, 404),
    ("wenxian_minzheng", WENXIAN_VILLAGE, 200),
    ("wenxian_minzheng", HEYING, 404),  # done means: any of 武陟县
    ("wenxian_minzheng", XITAO_VILLAGE, 404),
    ("wuzhi_choucha", HEYING, 200),
    ("wuzhi_choucha", XITAO_VILLAGE, 200),
    ("wuzhi_choucha", WENXIAN_VILLAGE, 404),
    ("wuzhi_caizheng", HEYING, 404),  # finance sees payment data only
    ("shi_admin", HEYING, 200),
    ("shi_admin", WENXIAN_VILLAGE, 200),
])
def test_household_reach_pages_and_api(client, users, homes, username, village, want):
    """§0 done means: out of reach is 404 (never 403) in the page and the API alike."""
    pk = homes[village].pk
    user = users[username]
    assert _status(client, user, f"/households/{pk}/") == want
    assert _status(client, user, f"/api/v1/households/{pk}/") == want
    person = homes[village].members.get()
    assert _status(client, user, f"/api/v1/persons/{person.pk}/") == want


@pytest.mark.parametrize("username", ["wuzhi_choucha", "shi_admin"])
def test_readers_cannot_change_households(client, users, homes, username):
    """§0: the county reviewer and the city administrator read but never write (pages 404, API 403)."""
    household = homes[HEYING]
    client.force_login(users[username])
    assert client.get(f"/households/{household.pk}/edit/").status_code == 404
    assert client.post(f"/households/{household.pk}/edit/", {"address": "改"}).status_code == 404
    assert client.get("/households/new/").status_code == 404
    person = household.members.get()
    assert client.post(f"/persons/{person.pk}/edit/", {"name": "改"}).status_code == 404
    r = client.patch(f"/api/v1/households/{household.pk}/", {"address": "改"}, content_type="application/json")
    assert r.status_code == 403
    assert "只能查看" in r.json()["detail"]
    r = client.post("/api/v1/households/", {"village": HEYING, "address": "x", "hukou_type": "rural",
                                             "members": []}, content_type="application/json")
    assert r.status_code == 403
    household.refresh_from_db()
    assert household.address != "改"
    # Nothing changed; the refusals themselves are audited as denied accesses (issue #3 §5).
    assert not AuditEvent.objects.filter(actor=users[username]).exclude(action="access.denied").exists()


def test_reader_detail_page_offers_no_change_buttons(client, users, homes):
    """§0: the reviewer's household page has no edit or add-member links."""
    client.force_login(users["wuzhi_choucha"])
    html = client.get(f"/households/{homes[HEYING].pk}/").content.decode()
    assert "修改家庭信息" not in html and "添加成员" not in html


def test_finance_sees_no_household_files(client, users, homes):
    """§0: finance sees payment data only: household pages and API 404, lists closed."""
    client.force_login(users["wuzhi_caizheng"])
    assert client.get("/households/").status_code == 404
    assert client.get("/api/v1/households/").status_code == 404
    assert client.get("/api/v1/persons/").status_code == 404
    assert client.get(f"/households/{homes[HEYING].pk}/").status_code == 404


def test_city_admin_lists_every_county_and_changes_nothing(client, users, homes):
    """§0: the city administrator reads all counties."""
    client.force_login(users["shi_admin"])
    ids = {row["id"] for row in client.get("/api/v1/households/").json()["results"]}
    assert ids == {h.pk for h in homes.values()}


def test_object_grant_shares_one_household_and_revoke_removes_it(client, users, homes):
    """§0 per-object exception: an audited grant ORs one household into an out-of-scope user's reach
    (with its members); revoking it removes it again (also audited)."""
    xitao, other = users["xitao_jingban"], homes[HEYING]
    untouched = homes[HEYING_NEIGHBOUR]
    client.force_login(xitao)
    assert client.get(f"/households/{other.pk}/").status_code == 404

    object_grant(actor=users["wuzhi_minzheng"], user=xitao, obj=other, level="view", reason="户籍在西陶镇，异地申请")
    event = AuditEvent.objects.get(action="grant.add")
    assert (event.actor, event.object_id, event.after) == (users["wuzhi_minzheng"], str(other.pk),
                                                             {"user": "xitao_jingban", "level": "view"})
    assert event.reason == "户籍在西陶镇，异地申请"

    from accounts.models import User
    xitao = User.objects.get(pk=xitao.pk)  # grants are cached per user object
    client.force_login(xitao)
    assert client.get(f"/households/{other.pk}/").status_code == 200
    assert client.get(f"/api/v1/households/{other.pk}/").status_code == 200
    member = other.members.get()
    assert client.get(f"/api/v1/persons/{member.pk}/").status_code == 200
    assert client.get(f"/households/{untouched.pk}/").status_code == 404
    # a view grant is not a change grant
    assert client.get(f"/households/{other.pk}/edit/").status_code == 404
    listed = {row["id"] for row in client.get("/api/v1/households/").json()["results"]}
    assert other.pk in listed and untouched.pk not in listed

    object_revoke(actor=users["wuzhi_minzheng"], user=xitao, obj=other, level="view", reason="已办结")
    assert AuditEvent.objects.filter(action="grant.remove", object_id=str(other.pk)).exists()
    client.force_login(User.objects.get(pk=xitao.pk))
    assert client.get(f"/households/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/households/{other.pk}/").status_code == 404


def test_change_grant_lets_out_of_scope_caseworker_edit(client, users, homes):
    """§0: a change grant lets another township's caseworker edit that one household through the service."""
    from cases.households import services

    object_grant(actor=users["wuzhi_minzheng"], user=users["xitao_jingban"], obj=homes[HEYING], level="change",
                 reason="协助核对")
    services.household_update(actor=users["xitao_jingban"], household=homes[HEYING], address="新址")
    assert Household.objects.get(pk=homes[HEYING].pk).address == "新址"


def test_grant_requires_reason_and_never_goes_to_admin_accounts(users, homes):
    """§0: grants need a reason; administrators' accounts never get business data."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="必须说明原因"):
        object_grant(actor=users["wuzhi_minzheng"], user=users["xitao_jingban"], obj=homes[HEYING],
                     level="view", reason=" ")
    with pytest.raises(ValidationError, match="管理员"):
        object_grant(actor=users["wuzhi_minzheng"], user=users["shi_xitong"], obj=homes[HEYING], level="view",
                     reason="x")


def test_user_region_must_match_role_level(users):
    """§0: one role, one region of the matching level (enforced)."""
    from django.core.exceptions import ValidationError

    from accounts.models import User
    from core.models import Region

    bad = User(username="x", role="village_staff", region=Region.objects.get(code="410823101"))
    with pytest.raises(ValidationError, match="必须属于"):
        bad.clean()


def test_out_of_reach_looks_exactly_like_not_found(client, users, homes):
    """§0: a household out of scope answers byte-for-byte what a household that never existed answers."""
    import re

    def answer(url):
        r = client.get(url)  # the CSRF token in the page's logout form is masked afresh on every render
        return r.status_code, re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", r.content)

    client.force_login(users["heying_cun"])
    missing = max(h.pk for h in homes.values()) + 1000
    for template in ("/households/{}/", "/api/v1/households/{}/", "/households/{}/edit/"):
        hidden = answer(template.format(homes[XITAO_VILLAGE].pk))
        assert hidden == answer(template.format(missing)) and hidden[0] == 404


@pytest.mark.django_db
def test_service_check_refuses_role_and_region_and_honours_an_explicit_grant(users):
    """accounts.scope.require, the check every service makes before writing: a role without the action is
    refused, an object outside the region is refused, an explicitly granted one is allowed."""
    from django.core.exceptions import ValidationError

    from accounts import services as account_services
    from accounts.scope import Action, require
    from tests.factories import HouseholdFactory

    other = HouseholdFactory(village="410823101200")  # 詹店镇
    xitao = users["xitao_jingban"]
    with pytest.raises(ValidationError, match="无权"):
        require(users["wuzhi_caizheng"], Action.CASE_CHANGE, other)
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        require(xitao, Action.CASE_CHANGE, other)
    account_services.object_grant(actor=users["wuzhi_minzheng"], user=xitao, obj=other, level="change",
                                  reason="跨镇协查")
    xitao = type(xitao).objects.get(pk=xitao.pk)  # as in the next request: grants are read again
    require(xitao, Action.CASE_CHANGE, other)
    require(users["zhandian_jingban"], Action.CASE_CHANGE, other)


def test_moving_a_household_moves_its_open_entitlements_not_its_ended_ones(users, homes):
    """An open entitlement is scoped by its own region (payments, indicators): when the household moves to
    another village, the open one follows it, an ended one stays where it was paid."""
    import datetime as dt
    from decimal import Decimal

    from cases.entitlements.models import Entitlement
    from cases.households import services
    from core.models import Region

    home = homes[HEYING]
    place = {"county_id": home.county_id, "township_id": home.township_id, "village_id": home.village_id}
    common = {"household": home, "persons_covered": 1, "monthly_amount": Decimal("500.00"),
              "start_month": dt.date(2026, 1, 1), **place}
    open_one = Entitlement.objects.create(category="dibao", status="active", **common)
    ended = Entitlement.objects.create(category="tekun_dispersed", status="ended", **common)
    services.household_update(actor=users["zhandian_jingban"], household=home,
                              village=Region.objects.get(code=HEYING_NEIGHBOUR), reason="搬迁")
    open_one.refresh_from_db()
    ended.refresh_from_db()
    assert open_one.village_id == HEYING_NEIGHBOUR and open_one.township_id == HEYING_NEIGHBOUR[:9]
    assert ended.village_id == HEYING
