"""§13/§12 query counts: the household list (page and API) costs the same for 5 and 40 households (no N+1)
and never COUNTs the whole table."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
HEYING = "410823101200"


def _households(n):
    for _ in range(n):
        head = PersonFactory(household__village=HEYING)
        PersonFactory(household=head.household, relationship="spouse")


def _queries(client, url):
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("url", ["/households/", "/api/v1/households/", "/api/v1/persons/",
                                 "/households/?q=%E6%9D%8E"])
@pytest.mark.parametrize("username", ["heying_cun", "shi_admin"])
def test_list_query_count_is_constant(client, users, url, username):
    """No N+1: 5 and 40 households cost the same number of queries, and no query counts the whole table."""
    client.force_login(users[username])
    _households(5)
    few = _queries(client, url)
    _households(35)
    many = _queries(client, url)
    assert len(few) == len(many), "\n".join(many)
    assert len(many) <= 10, "\n".join(many)
    for sql in many:  # Django's Paginator would add SELECT COUNT(*) AS "__count" over the whole scope
        upper = sql.upper()
        assert not upper.startswith("SELECT COUNT(") and '"__COUNT"' not in upper, sql


def test_household_detail_query_count_is_constant(client, users):
    """The household page does not query per member or per income item."""
    from cases.households import services

    head = PersonFactory(household__village=HEYING)
    services.item_add(actor=users["heying_cun"], household=head.household, item_type="income", kind="wages",
                      amount_12m=50, person=head)
    client.force_login(users["heying_cun"])
    url = f"/households/{head.household_id}/"
    few = _queries(client, url)
    for _ in range(6):
        PersonFactory(household=head.household, relationship="child")
    for i in range(6):
        services.item_add(actor=users["heying_cun"], household=head.household, item_type="income",
                          kind="wages", amount_12m=100 + i, person=head)
    many = _queries(client, url)
    assert len(few) == len(many), "\n".join(many)


def test_home_numbers_are_scoped_and_not_recounted_every_request(client, users):
    """Home page: the user's own numbers (scoped), counted at most every two minutes per region."""
    PersonFactory(household__village=HEYING)
    PersonFactory(household__village="410825101201")
    client.force_login(users["heying_cun"])
    r = client.get("/")
    assert [c["value"] for c in r.context["cards"]][0] == 1
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
    client.force_login(users["shi_admin"])
    assert client.get("/").context["cards"][0]["value"] == 2
