"""The household list's rows come from SQL compiled once per scope, filter and page (core.sqlmemo.values via
cases.households.selectors.household_rows): the same rows the queryset gives, current data on every call, and a
change of scope — a grant, a revoke, a new region or role, a deactivated account — seen on the next request."""
import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from accounts import services as account_services
from accounts.models import Role, User
from cases.households import selectors
from cases.models import Household
from core import sqlmemo
from core.models import Region
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db
XITAO_VILLAGE = "410823102"  # 西陶镇: a village of it is looked up


def _xitao_village() -> str:
    return Region.objects.filter(parent_id=XITAO_VILLAGE).order_by("code").values_list("code", flat=True).first()


def _orm_rows(user, *, hukou_type="", offset=0, limit=50):
    return list(selectors.household_list(user=user, hukou_type=hukou_type).values(*selectors.LIST_COLUMNS)
                [offset:offset + limit])


def test_rows_equal_the_querysets_rows_for_every_scope_filter_and_page(users):
    for i in range(7):
        PersonFactory(household__village="410823101200")  # 詹店镇
        HouseholdFactory(village=_xitao_village(), hukou_type=Household.HukouType.URBAN if i % 2 else "rural")
    for username in ("zhandian_jingban", "xitao_jingban", "shi_admin", "wuzhi_minzheng", "shi_xitong"):
        user = users[username]
        for hukou_type in ("", "urban", "rural", "nonsense"):
            for offset, limit in ((0, 4), (4, 4), (0, 51), (20, 5)):
                expected = _orm_rows(user, hukou_type=hukou_type, offset=offset, limit=limit)
                assert selectors.household_rows(user=user, hukou_type=hukou_type, offset=offset,
                                                limit=limit) == expected, (username, hukou_type, offset)
    assert selectors.household_rows(user=users["shi_xitong"]) == []  # a role without case.view reaches nothing


def test_rows_read_current_data_with_sql_compiled_once(users):
    user = users["zhandian_jingban"]
    first = PersonFactory(household__village="410823101200").household
    assert [r["id"] for r in selectors.household_rows(user=user)] == [first.pk]
    second = PersonFactory(household__village="410823101200").household
    PersonFactory(household=second, relationship="spouse")
    with CaptureQueriesContext(connection) as ctx:
        rows = selectors.household_rows(user=user)
    assert len(ctx.captured_queries) == 1
    assert [(r["id"], r["member_count"]) for r in rows] == [(second.pk, 2), (first.pk, 1)]


def test_grant_and_revoke_change_the_list_on_the_next_request(client, users, settings):
    settings.JIUZHU_SHARED_CACHE = True  # grants cached across requests, as with Redis
    other = PersonFactory(household__village="410823101200").household  # 詹店镇
    xitao = users["xitao_jingban"]
    client.force_login(xitao)
    link = f'href="/households/{other.pk}/"'
    assert link not in client.get("/households/").content.decode()
    account_services.object_grant(actor=users["wuzhi_minzheng"], user=xitao, obj=other, level="view", reason="跨镇协查")
    assert link in client.get("/households/").content.decode()
    account_services.object_revoke(actor=users["wuzhi_minzheng"], user=xitao, obj=other, level="view",
                                   reason="协查结束")
    assert link not in client.get("/households/").content.decode()


def test_new_region_role_or_deactivation_applies_on_the_next_request(client, users):
    zhandian = PersonFactory(household__village="410823101200").household
    xitao = HouseholdFactory(village=_xitao_village())
    user = users["zhandian_jingban"]
    client.force_login(user)
    body = client.get("/households/").content.decode()
    assert f"/households/{zhandian.pk}/" in body and f"/households/{xitao.pk}/" not in body
    User.objects.filter(pk=user.pk).update(region_id=XITAO_VILLAGE)  # moved to 西陶镇
    body = client.get("/households/").content.decode()
    assert f"/households/{zhandian.pk}/" not in body and f"/households/{xitao.pk}/" in body
    User.objects.filter(pk=user.pk).update(role=Role.GRID_WORKER, region_id="410823101200")  # village level
    body = client.get("/households/").content.decode()
    assert f"/households/{zhandian.pk}/" in body and f"/households/{xitao.pk}/" not in body
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/households/").status_code == 302


def test_values_of_an_empty_queryset_run_no_statement_and_convert_values_like_the_orm():
    HouseholdFactory()
    with CaptureQueriesContext(connection) as ctx:
        assert sqlmemo.values(("test-values", "none"), lambda: Household.objects.none().values("id")) == []
        assert sqlmemo.values(("test-values", "in"), lambda: Household.objects.filter(pk__in=[]).values("id")) == []
    assert len(ctx.captured_queries) == 0
    qs = Household.objects.values("id", "created_at").annotate(n=Count("members"))
    assert sqlmemo.values(("test-values", "typed"), lambda: qs) == list(qs)  # datetimes as the ORM gives them


def _memoized_kinds():
    return {key[2] for key, entry in sqlmemo._rows.items()
            if key[0] == "cases.household_rows" and entry is not sqlmemo._UNMEMOIZABLE}


def test_searches_equal_the_querysets_rows_and_are_compiled_once_per_kind(users):
    from tests.factories import make_id

    value = make_id("410823")
    member = PersonFactory(household__village="410823101200", name="欧阳测试", id_number=value)
    PersonFactory(household__village="410823101200", household__head_name="欧阳%测")
    PersonFactory(household__village="410823101200", household__head_name="欧阳x测")
    PersonFactory(household__village="410823101200", household__head_name="欧_\\'\"测")
    sqlmemo._rows.clear()
    searches = [value, value.lower(), f" {value[:6]} {value[6:]} ", make_id("410823"), "欧阳测试",
                f"欧阳测试{value[-4:]}", "欧阳", "欧阳%", "欧阳x", "欧_", "欧%", "_", "\\", "'", '"', "测试' OR 1=1 --",
                member.household.head_name[:1]]
    for username in ("zhandian_jingban", "shi_admin", "xitao_jingban"):
        user = users[username]
        for q in searches:
            for hukou_type in ("", "rural", "urban"):
                expected = list(selectors.household_list(user=user, q=q, hukou_type=hukou_type)
                                .values(*selectors.LIST_COLUMNS)[0:51])
                got = selectors.household_rows(user=user, q=q, hukou_type=hukou_type, offset=0, limit=51)
                assert got == expected, (username, q, hukou_type)
    assert _memoized_kinds() == {"id", "last4", "name"}
    rows = selectors.household_rows(user=users["zhandian_jingban"], q="欧阳%")
    assert [r["head_name"] for r in rows] == ["欧阳%测"]  # a % typed in the box is a character, not a wildcard


def test_values_with_arguments_escapes_like_patterns_and_refuses_what_it_cannot_fill():
    from django.db.models.functions import Upper

    HouseholdFactory(head_name="甲%乙")
    HouseholdFactory(head_name="甲丙乙")
    HouseholdFactory(head_name="甲丙")

    def by_prefix(prefix):
        return Household.objects.filter(head_name__startswith=prefix).order_by("head_name").values("head_name")

    key = ("test-values", "prefix")
    assert sqlmemo.values(key, by_prefix, ("甲丙",)) == [{"head_name": "甲丙"}, {"head_name": "甲丙乙"}]
    assert sqlmemo.values(key, by_prefix, ("甲%",)) == [{"head_name": "甲%乙"}]
    assert sqlmemo.values(key, by_prefix, ("乙",)) == []

    def by_upper(name):  # the argument is changed before it reaches the query: cannot be filled in later
        return Household.objects.annotate(u=Upper("head_name")).filter(u=name.upper()).values("head_name")

    key = ("test-values", "upper")
    assert sqlmemo.values(key, by_upper, ("甲丙",)) == [{"head_name": "甲丙"}]
    assert sqlmemo._rows[key] is sqlmemo._UNMEMOIZABLE
    assert sqlmemo.values(key, by_upper, ("甲丙乙",)) == [{"head_name": "甲丙乙"}]


def test_home_counts_follow_a_grant_on_the_next_request(users, settings):
    from cases.overview import home_counts

    settings.JIUZHU_SHARED_CACHE = True
    PersonFactory(household__village="410823101200")  # 詹店镇
    xitao = users["xitao_jingban"]
    assert home_counts(user=xitao)["households"] == 0
    other = Household.objects.get()
    account_services.object_grant(actor=users["wuzhi_minzheng"], user=xitao, obj=other, level="view", reason="协查")
    xitao = User.objects.get(pk=xitao.pk)  # the next request's user
    assert home_counts(user=xitao)["households"] == 1
    account_services.object_revoke(actor=users["wuzhi_minzheng"], user=xitao, obj=other, level="view", reason="结束")
    assert home_counts(user=User.objects.get(pk=xitao.pk))["households"] == 0
