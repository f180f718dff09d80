"""Supervision API: spot-checks, relatives registry, complaints — same rules and scope as the pages."""
import pytest

from tests.audit.test_spotchecks import MONTH, _decision
from tests.factories import make_id

pytestmark = pytest.mark.django_db


def test_spot_check_api_open_and_finding(client, users):
    for _ in range(4):
        _decision(users)
    client.force_login(users["wuzhi_choucha"])
    resp = client.post("/api/v1/spot-checks/", {"month": str(MONTH)}, content_type="application/json")
    assert resp.status_code == 201, resp.content
    data = resp.json()
    assert data["population"] == 4 and len(data["items"]) == 2  # ceil(30 % of 4)
    item = data["items"][0]["id"]
    resp = client.post(f"/api/v1/spot-checks/{data['id']}/findings/", {"item": item, "finding": "wrong"},
                       content_type="application/json")
    assert resp.status_code == 400 and "理由" in resp.content.decode()
    resp = client.post(f"/api/v1/spot-checks/{data['id']}/findings/",
                       {"item": item, "finding": "wrong", "reason": "收入漏计"}, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["finding"] == "wrong"
    client.force_login(users["wenxian_minzheng"])
    assert client.get(f"/api/v1/spot-checks/{data['id']}/").status_code == 404
    client.force_login(users["wuzhi_minzheng"])
    assert client.post("/api/v1/spot-checks/", {"month": str(MONTH)}, content_type="application/json").status_code == 404


def test_relatives_api(client, users):
    client.force_login(users["wuzhi_minzheng"])
    resp = client.post("/api/v1/relatives/", {"name": "刘洋", "id_number": make_id(), "kind": "township",
                                              "workplace": "詹店镇", "region": "410823101"},
                       content_type="application/json")
    assert resp.status_code == 201, resp.content
    staff = resp.json()["id"]
    resp = client.post(f"/api/v1/relatives/{staff}/relatives/", {"name": "刘父", "relation": "parent",
                                                                 "id_number": "410823195001011234"},
                       content_type="application/json")
    assert resp.status_code == 400 and "校验位" in resp.content.decode()
    resp = client.post(f"/api/v1/relatives/{staff}/relatives/", {"name": "刘父", "relation": "parent",
                                                                 "id_number": make_id()}, content_type="application/json")
    assert resp.status_code == 201 and "*" in resp.json()["id_masked"] and "id_number" not in resp.json()
    client.force_login(users["wenxian_minzheng"])
    assert client.get(f"/api/v1/relatives/{staff}/").status_code == 404


def test_complaints_api(client, users):
    client.force_login(users["zhandian_jingban"])
    body = {"source": "hotline", "complainant_name": "王五", "category": "missed", "summary": "漏保",
            "content": "独居老人", "region": "410823101", "phone": "13912345678"}
    resp = client.post("/api/v1/complaints/", body, content_type="application/json")
    assert resp.status_code == 201, resp.content
    c = resp.json()
    assert c["phone_masked"] == "139****5678" and c["due_on"]
    resp = client.post(f"/api/v1/complaints/{c['id']}/close/", {"result": "已受理低保申请", "satisfied": True},
                       content_type="application/json")
    assert resp.status_code == 200 and resp.json()["status"] == "closed"
    client.force_login(users["xitao_jingban"])
    assert client.get(f"/api/v1/complaints/{c['id']}/").status_code == 404
