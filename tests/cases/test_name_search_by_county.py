"""A search by name states the user's counties (accounts.scope.county_q), so that the persons' name index, led by
the county, serves it. Stating them must change no result: a grant or an application handled across a county line
is still found by name, and nothing out of reach is."""
import datetime as dt

import pytest
from django.db import connection

from accounts import services as account_services
from cases.dibao.models import Application
from cases.dibao.selectors import application_list
from cases.households import selectors
from jiuzhu import search
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db
ZHANDIAN_VILLAGE = "410823101200"  # 武陟县詹店镇
XIANGYUN = "410825101"  # 温县祥云镇


def _xiangyun_village() -> str:
    from core.models import Region

    return Region.objects.filter(parent_id=XIANGYUN).order_by("code").values_list("code", flat=True).first()


def _found(user, q):
    """Household ids found for `q` by each search path of the user: the list (queryset and compiled rows), the
    persons' list and the global search."""
    listed = {h.pk for h in selectors.household_list(user=user, q=q)}
    rows = {r["id"] for r in selectors.household_rows(user=user, q=q, limit=100)}
    persons = {p.household_id for p in selectors.person_list(user=user, q=q)}
    groups = {g.key: g for g in search.search(user, q)}
    hits = {h.url for h in groups["persons"].hits} if "persons" in groups else set()
    return listed, rows, persons, hits


def test_a_household_granted_in_another_county_is_found_by_its_members_name(users):
    xiangyun = users["xiangyun_jingban"]  # 温县
    granted = PersonFactory(household__village=ZHANDIAN_VILLAGE, name="欧阳跨县")  # 武陟县
    not_granted = PersonFactory(household__village=ZHANDIAN_VILLAGE, name="欧阳跨县")
    own = PersonFactory(household__village=_xiangyun_village(), name="欧阳跨县")
    assert _found(xiangyun, "欧阳跨县")[:3] == ({own.household_id},) * 3

    account_services.object_grant(actor=users["wuzhi_minzheng"], user=xiangyun, obj=granted.household, level="view",
                                  reason="跨县协查")
    xiangyun.__dict__.pop("_grant_cache", None)
    assert _found(xiangyun, "欧阳跨县")[:3] == ({own.household_id, granted.household_id},) * 3
    last4 = f"欧阳跨县{granted.id_last4}"
    for found in _found(xiangyun, last4)[:3]:
        assert granted.household_id in found and not_granted.household_id not in found
    for q in ("欧阳跨县", "欧阳", last4):  # the global search: the whole name, a prefix, the name + last four
        assert f"/households/{granted.household_id}/" in " ".join(_found(xiangyun, q)[3]), q


def test_the_city_finds_a_name_in_every_county_and_a_township_only_in_its_own(users):
    a = PersonFactory(household__village=ZHANDIAN_VILLAGE, name="司马同名")
    b = PersonFactory(household__village=_xiangyun_village(), name="司马同名")
    assert _found(users["shi_admin"], "司马同名")[:3] == ({a.household_id, b.household_id},) * 3
    assert _found(users["zhandian_jingban"], "司马同名")[:3] == ({a.household_id},) * 3
    assert _found(users["wenxian_minzheng"], "司马同名")[:3] == ({b.household_id},) * 3


def test_a_township_finds_by_a_members_name_the_application_it_handles_for_another_county(users):
    household = HouseholdFactory(village=ZHANDIAN_VILLAGE, head_name="诸葛户主")  # 武陟县
    PersonFactory(household=household, name="诸葛成员")
    handled = Application.objects.create(
        kind="dibao", household=household, handling_township_id=XIANGYUN, handling_county_id="410825",
        reason="在祥云镇居住", deadline=dt.date(2027, 1, 1), registered_by=users["xiangyun_jingban"],
        county_id="410823", township_id="410823101", village_id=ZHANDIAN_VILLAGE)
    for username in ("xiangyun_jingban", "zhandian_jingban", "shi_admin", "wuzhi_minzheng", "wenxian_minzheng"):
        found = list(application_list(user=users[username], q="诸葛成员"))
        assert found == [handled], username
        assert list(application_list(user=users[username], q="诸葛户")) == [handled], username
    assert list(application_list(user=users["xitao_jingban"], q="诸葛成员")) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans and index")
def test_every_name_search_reaches_the_persons_by_county_and_name_in_the_index(users):
    """With sequential scans off the planner may still read a whole B-tree for a condition on its second column;
    the index condition must hold the county, or at a province's size the search reads every name."""
    member = PersonFactory(household__village=ZHANDIAN_VILLAGE, name="公孙计划")
    Application.objects.create(  # an application in reach: with none, the member branch is empty and not planned
        kind="dibao", household=member.household, handling_township_id="410823101", handling_county_id="410823",
        reason="生活困难", deadline=dt.date(2027, 1, 1), registered_by=users["zhandian_jingban"],
        county_id="410823", township_id="410823101", village_id=ZHANDIAN_VILLAGE)
    queries = []
    for username in ("zhandian_jingban", "shi_admin", "wuzhi_minzheng"):
        user = users[username]
        queries += [selectors.household_list(user=user, q="公孙计划"), selectors.household_list(user=user, q="公孙计划1234"),
                    selectors.person_list(user=user, q="公孙计划"), application_list(user=user, q="公孙计划")]
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for qs in queries:
                sql, params = qs.query.sql_with_params()
                cursor.execute(f"EXPLAIN {sql}", params)
                plan = "\n".join(r[0] for r in cursor.fetchall())
                lines = plan.splitlines()
                at = [i for i, line in enumerate(lines) if "person_county_name_last4" in line]
                assert at, plan
                for i in at:
                    cond = next(line for line in lines[i + 1:] if "Index Cond" in line)
                    assert "county_id" in cond and "name" in cond, plan
        finally:
            cursor.execute("SET enable_seqscan = on")
