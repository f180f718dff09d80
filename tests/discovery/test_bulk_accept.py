"""Bulk 受理 of village drafts from 我的待办: each draft through the workflow; other townships' drafts untouched."""
import pytest

from cases.dibao import intake
from cases.models import Application, ApplicationEvent
from tests.cases.dibao_helpers import poor_household, seed_standards

pytestmark = pytest.mark.django_db


def test_caseworker_accepts_many_drafts_at_once_and_only_her_own(users, client):
    seed_standards()
    mine = [intake.application_draft(actor=users["heying_cun"], household=poor_household(), reason=f"户主患病{i}")
            for i in range(3)]
    client.force_login(users["xitao_jingban"])  # another township: nothing of ours moves
    client.post("/applications/drafts/accept/", {"draft_ids": [a.pk for a in mine]})
    assert set(Application.objects.filter(pk__in=[a.pk for a in mine]).values_list("status", flat=True)) == {"draft"}

    client.force_login(users["zhandian_jingban"])
    todo = client.get("/todo/").content.decode()
    assert 'action="/applications/drafts/accept/"' in todo and all(a.number in todo for a in mine)
    r = client.post("/applications/drafts/accept/", {"draft_ids": [mine[0].pk, mine[1].pk, "x", 999999]},
                    follow=True)
    page = r.content.decode()
    assert "已受理 2 件" in page and "未作处理" in page
    statuses = dict(Application.objects.filter(pk__in=[a.pk for a in mine]).values_list("pk", "status"))
    assert statuses == {mine[0].pk: "accepted", mine[1].pk: "accepted", mine[2].pk: "draft"}
    assert ApplicationEvent.objects.filter(application_id=mine[0].pk, to_status="accepted",
                                           actor=users["zhandian_jingban"]).exists()
    assert client.get("/applications/drafts/accept/").status_code == 405


def test_village_staff_cannot_bulk_accept(users, client):
    seed_standards()
    app = intake.application_draft(actor=users["heying_cun"], household=poor_household(), reason="户主患病")
    client.force_login(users["heying_cun"])
    assert client.post("/applications/drafts/accept/", {"draft_ids": [app.pk]}).status_code in (403, 404)
    assert Application.objects.get(pk=app.pk).status == "draft"
