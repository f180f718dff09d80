"""Issue #3 §6 login hardening (等保 level 3): each rule its own test."""
import datetime as dt
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from accounts.models import User
from core.models import AuditEvent

PASSWORD = "jiuzhu-demo-2026"


@pytest.mark.parametrize("password,message", [
    ("Ab1!", "太短"),                      # under 8 characters
    ("abcdefgh12", "至少三类"),             # two classes only
    ("ABCDEFGH!!", "至少三类"),
    ("Password1!", "太常见"),               # a common password
    ("Zhangwei-2026", "用户名"),            # contains the username
])
def test_password_rules_refuse(password, message):
    """§6 passwords: ≥ 8 characters, three of four classes, not the username, not a common password."""
    user = User(username="zhangwei")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        validate_password(password, user)
    assert any(message in m for m in info.value.messages), info.value.messages


def test_password_rules_accept_a_good_password():
    validate_password("Hy7-mountain-River", User(username="zhangwei"))


def _login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_account_created_by_administrator_must_change_password_at_first_login(client, users):
    """§6 accounts created by an administrator change their password at first login."""
    from accounts import services
    from core.models import Region

    user = services.user_create(actor=users["shi_xitong"], username="new_jingban", password="Temp-Pass-2026x",
                                role="township_caseworker", region=Region.objects.get(code="410823101"))
    assert user.must_change_password
    _login(client, "new_jingban", "Temp-Pass-2026x")
    assert client.get("/households/")["Location"] == "/accounts/password/"
    response = client.post("/accounts/password/", {"old_password": "Temp-Pass-2026x",
                                                    "new_password1": "Own-Secret-77", "new_password2": "Own-Secret-77"})
    assert response.status_code == 302
    assert client.get("/households/").status_code == 200


@pytest.mark.django_db
def test_password_expires_after_param_days(client, users):
    """§6 passwords expire after accounts.password_max_age_days (90) days."""
    user = users["heying_cun"]
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=89))
    _login(client, "heying_cun")
    assert client.get("/households/").status_code == 200
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    response = client.get("/households/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    assert "超过有效期" in client.get("/accounts/password/").content.decode()


@pytest.mark.django_db
def test_session_id_rotates_at_login(client, users):
    """§6 the session id changes at login (no session fixation)."""
    client.get("/accounts/login/")
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    _login(client, "heying_cun")
    assert client.session.session_key != before


@pytest.mark.django_db
def test_idle_timeout_30_minutes(client, users):
    """§6 idle timeout 30 minutes, enforced on the server (and by the cookie age)."""
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_REFRESH_SECONDS <= 60
    _login(client, "heying_cun")
    session = client.session
    session["last_seen_at"] = time.time() - 29 * 60
    session.save()
    assert client.get("/households/").status_code == 200
    session = client.session
    session["last_seen_at"] = time.time() - 31 * 60
    session.save()
    response = client.get("/households/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert AuditEvent.objects.filter(action="session.idle_timeout", actor_username="heying_cun").exists()


@pytest.mark.django_db
def test_absolute_lifetime_8_hours(client, users):
    """§6 absolute session lifetime 8 hours, however active the user is."""
    _login(client, "heying_cun")
    session = client.session
    session["auth_started_at"] = time.time() - 8 * 3600 - 5
    session.save()
    response = client.get("/households/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/households/").status_code == 302  # logged out


@pytest.mark.django_db
def test_logins_failures_and_lockout_are_audited(client, users):
    """§6 logins, failures and lockouts are audited; 5 failures lock the account for 30 minutes."""
    assert _login(client, "heying_cun").status_code == 302
    assert AuditEvent.objects.filter(action="login.success", object_id=str(users["heying_cun"].pk)).exists()
    client.post("/accounts/logout/")
    for _ in range(5):
        assert _login(client, "zhandian_jingban", "wrong-Password-1").status_code == 200
    user = User.objects.get(username="zhandian_jingban")
    assert user.is_locked()
    assert AuditEvent.objects.filter(action="login.failed", object_id=str(user.pk)).count() == 5
    assert AuditEvent.objects.filter(action="login.lockout", object_id=str(user.pk)).exists()
    response = _login(client, "zhandian_jingban")  # right password, still locked
    assert response.status_code == 200 and "锁定" in response.content.decode()
    _login(client, "nobody", "x")
    assert AuditEvent.objects.filter(action="login.failed", object_repr="nobody").exists()


@pytest.mark.django_db
def test_unused_accounts_disabled_after_param_days_by_beat_task(users):
    """§6 accounts unused for accounts.inactive_disable_days (90) are disabled by a beat task, audited."""
    from accounts.schedules import SCHEDULES
    from accounts.tasks import disable_inactive_accounts

    assert any(s["task"] == "accounts.tasks.disable_inactive_accounts" for s in SCHEDULES.values())
    now = timezone.now()
    User.objects.filter(username="heying_cun").update(last_login=now - dt.timedelta(days=91))
    User.objects.filter(username="xitao_jingban").update(last_login=now - dt.timedelta(days=89))
    User.objects.filter(username="wenxian_minzheng").update(last_login=None, date_joined=now - dt.timedelta(days=100))
    assert disable_inactive_accounts.delay().get() == 2
    active = dict(User.objects.values_list("username", "is_active"))
    assert not active["heying_cun"] and not active["wenxian_minzheng"] and active["xitao_jingban"]
    events = AuditEvent.objects.filter(action="user.disable_inactive")
    assert {e.object_repr for e in events} == {str(users["heying_cun"]), str(users["wenxian_minzheng"])}


@pytest.mark.django_db
def test_api_tokens_rotate_and_expire_like_sessions(client, users):
    """§6 API tokens: a new token at each login, refused after 8 hours, refused while a password change is due."""
    from accounts.models import ApiToken
    from accounts.tokens import digest

    first = client.post("/api/v1/auth/token/", {"username": "heying_cun", "password": PASSWORD}).json()["token"]
    second = client.post("/api/v1/auth/token/", {"username": "heying_cun", "password": PASSWORD}).json()["token"]
    assert first != second
    auth = {"HTTP_AUTHORIZATION": f"Token {second}"}
    assert client.get("/api/v1/me/", **auth).status_code == 200
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 401
    ApiToken.objects.filter(digest=digest(second)).update(expiry=timezone.now() - dt.timedelta(minutes=1))
    assert client.get("/api/v1/me/", **auth).status_code == 401
    User.objects.filter(username="heying_cun").update(must_change_password=True)
    response = client.post("/api/v1/auth/token/", {"username": "heying_cun", "password": PASSWORD})
    assert response.status_code in (401, 403)
