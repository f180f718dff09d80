"""Notices to applicants: written to the outbox with the case's move, sent by the configured backend after
commit, phone sealed, no ID numbers, city-editable templates, the documents request, the API."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cases.dibao import workflow
from core.models import AuditEvent
from notifications import backends, services
from notifications.models import Kind, Notification
from tests.cases.dibao_helpers import poor_household, seed_standards, to_awaiting_decision


@pytest.fixture
def hh(users):
    seed_standards()
    hh = poor_household()
    hh.set_phone("13800001234")
    hh.save()
    return hh


@pytest.fixture
def app(users, hh):
    return workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="户主收入低")


def test_publicity_and_decision_reach_the_applicant(users, app, monkeypatch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        to_awaiting_decision(users["zhandian_jingban"], app, monkeypatch)
        workflow.transition(actor=users["zhandian_shenpi"], application=app, action="confirm")
    notes = list(Notification.objects.filter(application=app).order_by("pk"))
    assert [n.kind for n in notes] == [Kind.PUBLICITY, Kind.DECISION_CONFIRMED]
    assert all(n.status == Notification.Status.SENT and n.backend == "database" for n in notes)
    assert app.number in notes[1].body and "元" in notes[1].body
    assert notes[1].phone_masked == "138****1234" and notes[1].reveal_phone() == "13800001234"
    with connection.cursor() as cur:
        cur.execute("SELECT phone_cipher FROM notifications_notification")
        assert all(b"13800001234" not in bytes(row[0]) for row in cur.fetchall())


def test_no_phone_is_recorded_not_lost(users, hh, django_capture_on_commit_callbacks):
    hh.set_phone("")
    hh.save()
    app = workflow.application_accept(actor=users["zhandian_jingban"], household=hh, reason="x")
    with django_capture_on_commit_callbacks(execute=True):
        note = services.notify_application(kind=Kind.DECISION_REFUSED, application=app)
    note.refresh_from_db()
    assert note.status == Notification.Status.NO_PHONE


def test_template_edit_is_city_only_and_refuses_id_numbers(users, app):
    with pytest.raises(ValidationError):
        services.template_set(actor=users["zhandian_jingban"], kind=Kind.PUBLICITY, body="{户主}您好")
    with pytest.raises(ValidationError) as exc:
        services.template_set(actor=users["shi_admin"], kind=Kind.PUBLICITY, body="{户主} 身份证 410823197503010011")
    assert "身份证" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.template_set(actor=users["shi_admin"], kind=Kind.PUBLICITY, body="{户主} {身份证号}")
    assert "占位符" in str(exc.value)
    services.template_set(actor=users["shi_admin"], kind=Kind.PUBLICITY, body="{户主}：{编号}已公示")
    note = services.notify_application(kind=Kind.PUBLICITY, application=app)
    assert note.body == f"{app.household.head_name}：{app.number}已公示"
    assert AuditEvent.objects.filter(action="notification.template").exists()


def test_values_never_carry_an_id_number(users, app):
    app.household.head_name = "张三410823197503010011"
    note = services.notify_application(kind=Kind.PUBLICITY, application=app)
    assert "410823197503010011" not in note.body


def test_gateway_failure_stays_in_outbox_and_retries(users, app, settings, django_capture_on_commit_callbacks):
    class Down(backends.SmsBackend):
        name = "down"

        def send(self, *, phone, body):
            raise backends.SendError("短信网关不可用")

    settings.JIUZHU_SMS_BACKEND = f"{__name__}.Down"
    globals()["Down"] = Down
    with django_capture_on_commit_callbacks(execute=True):
        note = services.notify_application(kind=Kind.PUBLICITY, application=app)
    note.refresh_from_db()
    assert note.status == Notification.Status.FAILED and note.attempts == 1
    settings.JIUZHU_SMS_BACKEND = ""
    assert services.retry_failed() == 1
    note.refresh_from_db()
    assert note.status == Notification.Status.SENT and note.attempts == 2


def test_http_backend_posts_json(monkeypatch, settings):
    sent = {}

    class Response:
        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

        def read(self):
            return b'{"id": "abc123"}'

    def fake_urlopen(request, timeout):
        sent["url"], sent["data"], sent["auth"] = request.full_url, request.data, request.headers["Authorization"]
        return Response()

    settings.JIUZHU_SMS_URL, settings.JIUZHU_SMS_TOKEN = "https://sms.example.test/send", "t0k"
    monkeypatch.setattr(backends.urllib.request, "urlopen", fake_urlopen)
    result = backends.HttpBackend().send(phone="13800001234", body="您好")
    assert result.gateway_id == "abc123" and sent["auth"] == "Bearer t0k" and b"13800001234" in sent["data"]
    settings.JIUZHU_SMS_URL = "http://plain.example.test/"
    with pytest.raises(backends.SendError):
        backends.HttpBackend().send(phone="13800001234", body="x")


def test_request_documents_from_the_case(users, app, client):
    client.force_login(users["zhandian_jingban"])
    page = client.get(f"/applications/{app.pk}/").content.decode()
    assert "短信通知补交所缺材料" in page
    due = dt.date.today() + dt.timedelta(days=5)
    r = client.post(f"/notifications/applications/{app.pk}/documents/", {"due_on": due.isoformat()})
    assert r.status_code == 302
    note = Notification.objects.get(kind=Kind.DOCUMENTS)
    assert "身份证" in note.body and f"{due.month}月{due.day}日" in note.body
    # a village staffer may not send it, another township does not reach the case
    with pytest.raises(ValidationError):
        services.request_documents(actor=users["heying_cun"], application=app, due_on=due)
    with pytest.raises(ValidationError):
        services.request_documents(actor=users["zhandian_jingban"], application=app, due_on=dt.date(2020, 1, 1))


def test_api_scoped(users, app):
    from rest_framework.test import APIClient

    services.notify_application(kind=Kind.PUBLICITY, application=app)
    api = APIClient()
    api.force_authenticate(users["zhandian_jingban"])
    rows = api.get(f"/api/v1/notifications/?application={app.pk}").json()["results"]
    assert len(rows) == 1 and rows[0]["phone_masked"] == "138****1234" and "phone" not in rows[0]
    api.force_authenticate(users["xiangyun_jingban"])
    assert api.get("/api/v1/notifications/").json()["results"] == []


# --- the outbox follows the case's handling township (居住地申请, issue #21) ---------------------------------

def _outbox_ids(user):
    from notifications import selectors

    return set(selectors.outbox(user).values_list("pk", flat=True))


def _caseworker(township: str):
    from accounts.models import Role, User
    from core.models import Region

    return User.objects.create_user(username=f"cw_{township}", password="x-Jiuzhu-2026!",
                                    role=Role.TOWNSHIP_CASEWORKER, region=Region.objects.get(code=township))


def test_residence_township_sees_the_messages_of_its_cases(users, hh, client):
    """A 詹店镇 household applying where it lives (西陶镇): 西陶镇 handles the case and sees its messages; the
    hukou township still sees them by the household's place; an unrelated township or county does not."""
    xitao = users["xitao_jingban"]
    app = workflow.application_accept(actor=xitao, household=hh, reason="在西陶镇居住", via_residence=True,
                                      residence_permit="豫居410823-2025-0012")
    note = services.notify_application(kind=Kind.PUBLICITY, application=app)
    assert (note.township_id, app.handling_township_id) == ("410823101", "410823102")
    assert note.pk in _outbox_ids(xitao)  # the handling township
    assert note.pk in _outbox_ids(users["zhandian_jingban"])  # the household's township
    assert note.pk in _outbox_ids(users["wuzhi_minzheng"])
    for outsider in (_caseworker("410823103"), users["xiangyun_jingban"], users["wenxian_minzheng"]):
        assert note.pk not in _outbox_ids(outsider), outsider.username
    # the page and the API say the same
    client.force_login(xitao)
    assert note.recipient in client.get("/notifications/").content.decode()
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(xitao)
    assert [r["id"] for r in api.get(f"/api/v1/notifications/?application={app.pk}").json()["results"]] == [note.pk]
    assert api.get(f"/api/v1/notifications/{note.pk}/").status_code == 200
    api.force_authenticate(_caseworker("410823104"))
    assert api.get(f"/api/v1/notifications/{note.pk}/").status_code == 404


def test_handling_county_sees_messages_and_other_townships_cases_stay_hidden(users, hh, app):
    """Across counties: 祥云镇 (温县) handles a 武陟县 household's case; 温县 sees its messages. The case of a
    household handled at home (詹店镇) stays out of 西陶镇's outbox."""
    home = services.notify_application(kind=Kind.PUBLICITY, application=app)
    other = poor_household()
    away = workflow.application_accept(actor=users["xiangyun_jingban"], household=other, reason="在温县居住",
                                       via_residence=True, residence_permit="豫居410825-2025-0001")
    far = services.notify_application(kind=Kind.PUBLICITY, application=away)
    assert {home.pk, far.pk} <= _outbox_ids(users["zhandian_jingban"])
    assert far.pk in _outbox_ids(users["xiangyun_jingban"]) and home.pk not in _outbox_ids(users["xiangyun_jingban"])
    assert far.pk in _outbox_ids(users["wenxian_minzheng"]) and home.pk not in _outbox_ids(users["wenxian_minzheng"])
    assert not {home.pk, far.pk} & _outbox_ids(users["xitao_jingban"])
    assert {home.pk, far.pk} <= _outbox_ids(users["shi_admin"])
