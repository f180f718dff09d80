"""The discovery API: regions travel as codes, a village sees its own, refusals are 400 with the Chinese reason."""
import pytest
from django.utils import timezone

from discovery import services
from tests.cases.dibao_helpers import HEYING, poor_household, seed_standards

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_villages(users):
    seed_standards()
    return poor_household(), poor_household(village="410823101201")


def test_regions_are_codes_and_a_village_sees_its_own(client, users, two_villages):
    mine, other = two_villages
    for hh in (mine, other):
        services.record_create(actor=users["zhandian_jingban"], source="hotline", household=hh, need="热线反映困难")
    client.force_login(users["heying_cun"])
    rows = client.get("/api/v1/discovery/").json()["results"]
    assert [(r["household"], r["village"], r["township"], r["county"]) for r in rows] == [
        (mine.pk, HEYING, "410823101", "410823")]
    client.force_login(users["zhandian_jingban"])
    assert {r["village"] for r in client.get("/api/v1/discovery/").json()["results"]} == {HEYING, "410823101201"}
    assert len(client.get(f"/api/v1/discovery/?village={HEYING}").json()["results"]) == 1


def test_grid_by_village_code_and_visit_opens_a_record(client, users, two_villages):
    mine, other = two_villages
    client.force_login(users["heying_cun"])
    grid = client.post("/api/v1/grids/", {"village": HEYING, "name": "第一网格", "worker": users["heying_wangge"].pk},
                       content_type="application/json")
    assert grid.status_code == 201 and grid.json()["village"] == HEYING
    refused = client.post("/api/v1/grids/", {"village": "410823101201", "name": "越权网格", "worker_name": "甲"},
                          content_type="application/json")
    assert refused.status_code == 400 and "管辖范围" in refused.content.decode()
    assert client.post(f"/api/v1/grids/{grid.json()['id']}/assign/", {"household": mine.pk},
                       content_type="application/json").status_code == 200
    client.force_login(users["heying_wangge"])
    visit = client.post("/api/v1/visits/", {"household": mine.pk, "visited_on": timezone.localdate().isoformat(),
                                            "seen": "户主", "situations": ["disaster"], "note": "房屋受损"},
                        content_type="application/json")
    assert visit.status_code == 201 and visit.json()["grid"] == grid.json()["id"] and len(visit.json()["records"]) == 1
    bad = client.post("/api/v1/visits/", {"household": mine.pk, "visited_on": "2099-01-01", "seen": "户主"},
                      content_type="application/json")
    assert bad.status_code == 400 and "晚于今天" in bad.content.decode()
    assert client.post("/api/v1/visits/", {"household": other.pk, "visited_on": timezone.localdate().isoformat(),
                                           "seen": "户主"}, content_type="application/json").status_code == 404


def test_draft_through_applications_api_and_accept(client, users, two_villages):
    mine, _ = two_villages
    client.force_login(users["heying_cun"])
    r = client.post("/api/v1/applications/", {"household": mine.pk, "status": "draft", "kind": "dibao",
                                              "reason": "户主患病"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["status"] == "draft"
    app_id = r.json()["id"]
    assert client.get("/api/v1/applications/?status=draft").json()["results"][0]["id"] == app_id
    client.force_login(users["zhandian_jingban"])
    r = client.post(f"/api/v1/applications/{app_id}/transitions/", {"action": "refuse_intake", "reason": ""},
                    content_type="application/json")
    assert r.status_code == 400
    r = client.post(f"/api/v1/applications/{app_id}/transitions/", {"action": "accept_draft"},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "accepted"


def test_intake_refusals_api(client, users, two_villages):
    mine, _ = two_villages
    client.force_login(users["zhandian_jingban"])
    r = client.post("/api/v1/intake-refusals/", {"household": mine.pk, "kind": "dibao",
                                                 "reason": "申请人拒绝授权核对家庭经济状况"},
                    content_type="application/json")
    assert r.status_code == 201 and r.json()["township"] == "410823101" and r.json()["notice"]
    client.force_login(users["wuzhi_choucha"])
    rows = client.get("/api/v1/intake-refusals/?township=410823101").json()["results"]
    assert [x["reason"] for x in rows] == ["申请人拒绝授权核对家庭经济状况"]
