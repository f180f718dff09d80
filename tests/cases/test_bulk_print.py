"""Bulk action: print many notices at once (one A4 page each), only those in reach, audited as a print."""
from cases.dibao import workflow
from cases.models import Notice
from core.models import AuditEvent
from tests.cases.dibao_helpers import poor_household, seed_standards


def test_print_many_notices(users, client):
    seed_standards()
    cw, leader = users["zhandian_jingban"], users["zhandian_shenpi"]
    ids = []
    for _ in range(2):
        app = workflow.application_accept(actor=cw, household=poor_household(), reason="x")
        app.status = "awaiting_decision"
        app.save(update_fields=["status"])
        workflow.transition(actor=leader, application=app, action="refuse", reason="家庭人均收入高于低保标准")
        ids.append(Notice.objects.get(application=app).pk)
    client.force_login(cw)
    todo = client.get("/todo/").content.decode()
    assert 'name="ids"' in todo and "批量打印所选通知书" in todo
    page = client.get("/notices/print/", {"ids": ids}).content.decode()
    assert page.count('class="a4 notice-doc"') == 2 and page.count("page-break-after") >= 2
    assert AuditEvent.objects.filter(action="export", actor_username=cw.username).exists()
    client.force_login(users["xiangyun_jingban"])
    assert client.get("/notices/print/", {"ids": ids}).content.decode().count('class="a4 notice-doc"') == 0
