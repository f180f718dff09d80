"""Issue #15 item 5: failed logins counted atomically, concurrent token requests never 500, tokens hashed
at rest with an expiry, every refusal on the audit trail."""
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from accounts.models import ApiToken, User
from accounts.tokens import digest
from core.models import AuditEvent
from demo.users import DEMO_PASSWORD as PASSWORD

URL = "/api/v1/auth/token/"


def _parallel(n, fn):
    barrier, results = threading.Barrier(n), [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - a 500 or a deadlock would show here
            results[i] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def _pg():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for real row locks")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_parallel_wrong_passwords_lock_like_twenty_sequential(users):
    _pg()
    codes = _parallel(20, lambda i: Client().post(URL, {"username": "heying_cun", "password": f"wrong-{i}"},
                                                    content_type="application/json").status_code)
    assert codes == [401] * 20, codes
    user = User.objects.get(username="heying_cun")
    assert user.is_locked()
    events = AuditEvent.objects.filter(object_id=str(user.pk), object_type="accounts.user")
    assert events.filter(action="login.failed").count() == 5  # only 5 passwords were ever tried
    assert events.filter(action="login.lockout").count() == 1
    assert events.filter(action="login.refused_locked").count() == 15
    ok = Client().post(URL, {"username": "heying_cun", "password": PASSWORD}, content_type="application/json")
    assert ok.status_code == 401  # locked: even the right password waits


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_token_requests_never_fail(users):
    _pg()
    answers = _parallel(12, lambda i: Client().post(URL, {"username": "zhandian_jingban", "password": PASSWORD},
                                                      content_type="application/json"))
    assert [a.status_code for a in answers] == [200] * 12, answers
    keys = {a.json()["token"] for a in answers}
    assert len(keys) == 12
    live = ApiToken.objects.filter(user__username="zhandian_jingban")
    assert live.count() == 1 and live.get().digest in {digest(k) for k in keys}


@pytest.mark.django_db
def test_tokens_are_stored_hashed_with_an_expiry(client, users):
    key = client.post(URL, {"username": "zhandian_jingban", "password": PASSWORD},
                      content_type="application/json").json()["token"]
    token = ApiToken.objects.get(user__username="zhandian_jingban")
    assert token.digest == digest(key) and key not in (token.digest, token.prefix)
    assert 7.9 * 3600 < (token.expiry - token.created).total_seconds() <= 8 * 3600
    with connection.cursor() as cur:
        cur.execute("SELECT prefix, digest FROM accounts_apitoken")
        assert all(key not in " ".join(row) for row in cur.fetchall())
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.digest}").status_code == 401


@pytest.mark.django_db
def test_role_refusals_are_audited(client, users):
    """The API's role refusals (404 and 403) and a service's role refusal all reach the trail."""
    finance = users["wuzhi_caizheng"]
    client.force_login(finance)
    assert client.get("/api/v1/temporary-aid/").status_code == 404  # require_api without a message
    assert AuditEvent.objects.filter(actor=finance, action="access.denied", object_type="api",
                                     object_repr="/api/v1/temporary-aid/").exists()
    client.force_login(users["zhandian_jingban"])
    from tests.factories import HouseholdFactory

    h = HouseholdFactory()
    resp = client.post("/api/v1/temporary-aid/", {"household": h.pk, "aid_type": "emergency", "amount": "100",
                                                  "cause": "失火"}, content_type="application/json")
    assert resp.status_code == 403
    assert AuditEvent.objects.filter(actor=users["zhandian_jingban"], action="access.denied",
                                     reason__contains="审批人").exists()
    from django.core.exceptions import ValidationError

    from cases.temporary_aid import services as ta

    with pytest.raises(ValidationError):
        ta.fast_grant(actor=users["heying_cun"], household=h, aid_type="emergency", cause="x", amount=1)
    assert AuditEvent.objects.filter(actor=users["heying_cun"], action="access.denied",
                                     after__refused="role").exists()
