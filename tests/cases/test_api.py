"""§4/§7 household registry API: CRUD with nested members, person lookup by ID, masking, messages."""
import datetime as dt

import pytest

from cases.models import Household, Person
from core.models import AuditEvent
from tests.factories import PersonFactory, make_id

pytestmark = pytest.mark.django_db
HEYING = "410823101200"


def _payload(*members, village=HEYING):
    return {"village": village, "address": "何营东村四组2号", "hukou_type": "rural", "phone": "13903919876",
            "members": list(members)}


def _member(name, raw, relationship="head", **extra):
    return {"name": name, "id_number": raw, "relationship": relationship, **extra}


@pytest.fixture
def api(client, users):
    client.force_login(users["zhandian_jingban"])
    return client


def test_create_household_with_members_returns_masked_ids(api):
    """§4 API: POST /api/v1/households/ with nested members; the answer shows masked IDs only."""
    head, child = make_id("410823", dt.date(1975, 8, 8), "M"), make_id("410823", dt.date(2005, 9, 9), "F")
    r = api.post("/api/v1/households/", _payload(_member("赵大", head.lower()),
                                                  _member("赵小", child, "child", school="senior")),
                 content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert [m["id_masked"] for m in body["members"]] == [head[:6] + "*" * 8 + head[-4:],
                                                          child[:6] + "*" * 8 + child[-4:]]
    assert head not in r.content.decode() and child not in r.content.decode()
    assert "id_number" not in body["members"][0]
    assert body["members"][1]["sex"] == "F" and body["members"][1]["birth_date"] == "2005-09-09"
    assert body["head_name"] == "赵大" and body["township"] == "410823101"
    assert Household.objects.get().members.count() == 2


@pytest.mark.parametrize(("raw", "message"), [
    ("4.10823E+17", "科学计数法"),
    ("410823199001011000", "Excel"),
    ("410823209901011234", "晚于今天"),
    ("410823199001011238", "校验位错误"),
    ("４１０８２３１９９００１０１１２３４", "全角"),
])
def test_create_shows_the_specific_id_message(api, raw, message):
    """§4 API: a bad ID gets the validator's Chinese message under id_number, and nothing is saved."""
    r = api.post("/api/v1/households/", _payload(_member("钱一", raw)), content_type="application/json")
    assert r.status_code == 400
    assert message in r.json()["id_number"][0]
    assert not Household.objects.exists()


def test_duplicate_id_in_second_member_leaves_nothing_half_written(api):
    """§4: a duplicate ID in any member refuses the whole household (one transaction)."""
    existing = PersonFactory(household__village="410823102200")
    raw = existing.reveal_id_number()
    r = api.post("/api/v1/households/", _payload(_member("孙一", make_id("410823", dt.date(1960, 1, 1))),
                                                  _member("孙二", raw, "spouse")),
                 content_type="application/json")
    assert r.status_code == 400
    assert "该身份证号码已在本市登记" in r.json()["id_number"][0]
    assert Household.objects.count() == 1 and Person.objects.count() == 1
    assert not AuditEvent.objects.filter(action="household.create").exists()


def test_create_needs_exactly_one_head(api):
    r = api.post("/api/v1/households/", _payload(_member("周一", make_id(), "child")),
                 content_type="application/json")
    assert r.status_code == 400 and "户主" in str(r.json())


def test_create_in_a_village_out_of_scope_is_refused(client, users):
    """§0: the API refuses a village outside the caller's region (it is not among the choices)."""
    client.force_login(users["xitao_jingban"])
    r = client.post("/api/v1/households/", _payload(_member("吴一", make_id())), content_type="application/json")
    assert r.status_code == 400 and "village" in r.json()
    assert not Household.objects.exists()


def test_update_household_and_members_is_audited(api):
    """§4 API: PATCH changes household fields and members (matched by ID), each change audited."""
    person = PersonFactory(household__village=HEYING, name="旧名")
    raw = person.reveal_id_number()
    new_raw = make_id("410823", dt.date(1999, 9, 19), "M")
    r = api.patch(f"/api/v1/households/{person.household_id}/", {
        "address": "新地址", "members": [_member("新名", raw), _member("新子", new_raw, "child")]},
        content_type="application/json")
    assert r.status_code == 200, r.content
    names = sorted(m["name"] for m in r.json()["members"])
    assert names == ["新名", "新子"] and r.json()["head_name"] == "新名"
    assert raw not in r.content.decode()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"household.update", "person.update", "person.add"} <= actions


def test_delete_is_refused(api):
    household = PersonFactory(household__village=HEYING).household
    r = api.delete(f"/api/v1/households/{household.pk}/")
    assert r.status_code == 403 and Household.objects.filter(pk=household.pk).exists()


def test_list_and_search(api):
    """§4 API list: scoped, searchable by full ID, name, and name + last four digits."""
    a = PersonFactory(household__village=HEYING, name="郑芳")
    PersonFactory(household__village=HEYING, name="郑芳")
    PersonFactory(household__village="410823102200", name="郑芳")  # another township
    raw = a.reveal_id_number()

    def ids(q):
        return [row["id"] for row in api.get("/api/v1/households/", {"q": q}).json()["results"]]

    assert api.get("/api/v1/households/", {"q": raw}).status_code == 400  # no ID numbers in URLs (#3 §5)
    found = api.post("/api/v1/households/lookup/", {"id_number": raw}, format="json").json()
    assert [row["id"] for row in found] == [a.household_id]
    assert len(ids("郑芳")) == 2
    assert ids(f"郑芳{raw[-4:]}") == [a.household_id]


def test_persons_by_id_number(api):
    """§4 API: /api/v1/persons/?id_number= matches exactly (any spelling), masked in the answer;
    out-of-scope people are not found."""
    mine = PersonFactory(household__village=HEYING)
    theirs = PersonFactory(household__village="410825101201")
    raw = mine.reveal_id_number()
    # The number travels in the request body (POST lookup/), never in the URL (issue #3 §5).
    assert api.get("/api/v1/persons/", {"id_number": raw}).status_code == 400

    def lookup(value):
        return api.post("/api/v1/persons/lookup/", {"id_number": value}, format="json")

    r = lookup(" " + raw.lower())
    results = r.json()
    assert [p["id"] for p in results] == [mine.pk]
    assert results[0]["id_masked"] == mine.id_masked and raw not in r.content.decode()
    assert lookup(theirs.reveal_id_number()).json() == []
    assert lookup("4.10823E+17").json() == []


def test_token_auth_reaches_same_scope(client, users):
    """§7: token auth works and sees the same scope as the pages."""
    home = PersonFactory(household__village=HEYING).household
    other = PersonFactory(household__village="410823101201").household
    token = client.post("/api/v1/auth/token/", {"username": "heying_cun", "password": "jiuzhu-demo-2026"},
                        content_type="application/json").json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert client.get(f"/api/v1/households/{home.pk}/", **auth).status_code == 200
    assert client.get(f"/api/v1/households/{other.pk}/", **auth).status_code == 404


def test_session_api_writes_keep_csrf(users):
    """§7: with session auth CSRF stays on for writes."""
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(users["zhandian_jingban"])
    r = c.post("/api/v1/households/", _payload(_member("冯一", make_id())), content_type="application/json")
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]
