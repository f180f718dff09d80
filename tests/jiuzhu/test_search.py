"""One search box: case numbers of every kind, full ID through the blind index, names; scoped; grouped."""
import datetime as dt

import pytest
from rest_framework.test import APIClient

from audit.models import Complaint
from cases.dibao import workflow
from cases.models import Application
from jiuzhu import search
from tests.cases.dibao_helpers import poor_household, seed_standards
from tests.factories import make_id


@pytest.fixture
def hh(users):
    seed_standards()
    return poor_household()


def _groups(user, q):
    return {g.key: [h.title for h in g.hits] for g in search.search(user, q)}


def test_case_number_finds_its_case(users, hh):
    app = workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="x")
    number = app.number  # e.g. DB2026-00001
    for typed in (number, number.lower(), number.replace("-", ""), "ＤＢ" + number[2:], f" {number} "):
        assert _groups(users["zhandian_jingban"], typed) == {"applications": [number]}, typed
    # the same digits under another kind prefix, or another year, are not this case
    assert _groups(users["zhandian_jingban"], "TK" + number[2:]) == {}
    assert _groups(users["zhandian_jingban"], f"DB{app.accepted_on.year - 1}-{app.pk:05d}") == {}
    # out of reach: nothing, not even that it exists
    assert _groups(users["xiangyun_jingban"], number) == {}


def test_eighth_case_number(users, hh):
    """The walk's example: DB2026-00008 finds its case (pk 8, accepted in 2026)."""
    Application.objects.all().delete()
    cw = users["zhandian_jingban"]
    last = None
    for i in range(8):
        house = hh if i == 0 else poor_household()
        last = workflow.application_accept(actor=cw, household=house, reason="x", accepted_on=dt.date(2026, 11, 2))
    found = _groups(cw, f"DB2026-{last.pk:05d}")
    assert found == {"applications": [last.number]}


def test_full_id_through_blind_index_and_name(users, hh):
    head = hh.members.get(relationship="head")
    raw = head.reveal_id_number()
    found = _groups(users["zhandian_jingban"], raw)
    assert found["persons"] == [head.name] and found["households"] == [f"{hh.head_name}户"]
    assert _groups(users["zhandian_jingban"], raw.lower()[:-1] + raw[-1]).get("persons") == [head.name]
    assert _groups(users["zhandian_jingban"], raw[:10]) == {}  # partial numbers are not searchable
    assert head.name in _groups(users["zhandian_jingban"], head.name)["persons"]
    assert _groups(users["zhandian_jingban"], f"{head.name}{raw[-4:]}")["persons"] == [head.name]
    assert _groups(users["xiangyun_jingban"], raw) == {}
    assert _groups(users["zhandian_jingban"], make_id()) == {}


def test_complaint_number_and_api(users, hh, client):
    from audit import services as audit_services

    c = audit_services.complaint_register(actor=users["wuzhi_minzheng"], source="hotline", complainant_name="匿名",
                                          category="missed", summary="应保未保", content="反映情况",
                                          region=hh.township, household=hh)
    assert _groups(users["wuzhi_minzheng"], c.number.lower()) == {"complaints": [c.number]}
    assert _groups(users["wenxian_minzheng"], c.number) == {}
    api = APIClient()
    api.force_authenticate(users["zhandian_jingban"])
    head = hh.members.get(relationship="head")
    data = api.get("/api/v1/search/", {"q": head.reveal_id_number()}).json()
    assert [g["group"] for g in data["groups"]] == ["households", "persons"]
    api.force_authenticate(users["shi_xitong"])
    assert api.get("/api/v1/search/", {"q": "张三"}).status_code == 404
    client.force_login(users["zhandian_jingban"])
    page = client.get("/search/", {"q": "DB2099-99999"}).content.decode()
    assert "没有找到" in page
    assert Complaint.objects.count() == 1


def test_an_id_number_is_posted_never_put_in_a_url(users, hh, client):
    """The search box posts; a GET carrying an ID number is refused (it would sit in the URL, the history and the
    access log); the POST answers with the number masked in the box and is not cached."""
    full = hh.members.order_by("pk").first().reveal_id_number()
    client.force_login(users["zhandian_jingban"])
    refused = client.get("/search/", {"q": full}, follow=True).content.decode()
    assert "不能放在网址中" in refused and hh.head_name not in refused
    r = client.post("/search/", {"q": full})
    page = r.content.decode()
    assert r["Cache-Control"] == "no-store"
    assert full not in page and full[-4:] in page and hh.head_name in page
    assert 'method="post"' in client.get("/").content.decode().split('class="topsearch"')[1][:80]
