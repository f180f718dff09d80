"""§0/等保 login and sessions: lockout, password rules, forced changes, idle and absolute timeouts, API token."""
import datetime as dt
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from accounts.services import user_set_password
from core.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "jiuzhu-demo-2026"


def _login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_demo_user_logs_in_and_lands_home(client, users):
    r = _login(client, "heying_cun")
    assert r.status_code == 302 and r["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="login.success", actor=users["heying_cun"]).exists()


def test_lockout_after_five_failures_for_thirty_minutes(client, users):
    """等保: 5 failed logins lock the account for 30 minutes; the page says so in Chinese; even the right
    password is refused meanwhile; afterwards it works again."""
    for _ in range(4):
        r = _login(client, "heying_cun", "wrong-Password-1")
        assert "用户名或密码错误。连续5次错误将锁定账号30分钟。" in r.content.decode()
    r = _login(client, "heying_cun", "wrong-Password-1")
    assert "该账号因连续登录失败已被锁定" in r.content.decode()
    user = User.objects.get(username="heying_cun")
    lock_minutes = (user.locked_until - timezone.now()).total_seconds() / 60
    assert 29 < lock_minutes <= 30
    r = _login(client, "heying_cun")
    assert r.status_code == 200 and "已被锁定" in r.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login.lockout").count() == 1
    assert AuditEvent.objects.filter(action="login.failed").count() == 5

    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert _login(client, "heying_cun").status_code == 302


def test_success_resets_failure_count(client, users):
    for _ in range(4):
        _login(client, "heying_cun", "nope")
    assert _login(client, "heying_cun").status_code == 302
    assert User.objects.get(username="heying_cun").failed_logins == 0


def test_token_endpoint_respects_lockout(client, users):
    """The API token endpoint counts failures and refuses a locked account."""
    for _ in range(5):
        client.post("/api/v1/auth/token/", {"username": "heying_cun", "password": "x"},
                    content_type="application/json")
    r = client.post("/api/v1/auth/token/", {"username": "heying_cun", "password": PASSWORD},
                    content_type="application/json")
    assert r.status_code == 401 and "锁定" in r.json()["detail"]


@pytest.mark.parametrize(("password", "message"), [
    ("Ab1!xyz", "密码太短"),
    ("abcdefgh12", "至少三类"),
    ("Heying_cun2026", "不得包含用户名"),
    ("Password1!", "太常见"),
])
def test_password_validators(users, password, message):
    """等保: 8+ characters, 3 of 4 character classes, not the username, not a common password."""
    with pytest.raises(ValidationError) as exc:
        user_set_password(user=users["heying_cun"], password=password)
    assert any(message in m for m in exc.value.messages), exc.value.messages


def test_good_password_is_accepted_and_not_reused(users):
    user = users["heying_cun"]
    user_set_password(user=user, password="Zhuanli#2026")
    with pytest.raises(ValidationError, match="不能与原密码相同"):
        user_set_password(user=user, password="Zhuanli#2026")


def test_first_login_forces_password_change(client, users):
    """等保: an account created with an initial password must change it before anything else."""
    User.objects.filter(username="heying_cun").update(must_change_password=True)
    _login(client, "heying_cun")
    r = client.get("/households/")
    assert r.status_code == 302 and r["Location"] == "/accounts/password/"
    assert "初始（或重置）密码" in client.get("/accounts/password/").content.decode()
    r = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "Xin-Mima-2026",
                                            "new_password2": "Xin-Mima-2026"})
    assert r.status_code == 302
    assert client.get("/households/").status_code == 200  # session survived the change
    assert AuditEvent.objects.filter(action="user.password_change").exists()


def test_password_change_form_messages(client, users):
    _login(client, "heying_cun")
    html = client.post("/accounts/password/", {"old_password": "bad", "new_password1": "Xin-Mima-2026",
                                               "new_password2": "Other-2026x"}).content.decode()
    assert "原密码不正确" in html and "两次输入的新密码不一致" in html


def test_password_expires_after_90_days(client, users):
    """等保 (param accounts.password_max_age_days = 90): an expired password redirects to the change page."""
    User.objects.filter(username="heying_cun").update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    _login(client, "heying_cun")
    assert client.get("/").status_code == 302
    User.objects.filter(username="heying_cun").update(password_changed_at=timezone.now() - dt.timedelta(days=89))
    assert client.get("/").status_code == 200


def test_idle_session_ends_after_30_minutes(client, users):
    """等保: sessions expire 30 minutes after the last request (refreshed on each request)."""
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_REFRESH_SECONDS <= 60
    _login(client, "heying_cun")
    client.get("/")
    session = Session.objects.get(session_key=client.session.session_key)
    left = (session.expire_date - timezone.now()).total_seconds()
    assert 29 * 60 < left <= 30 * 60
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    from django.core.cache import cache

    cache.clear()  # with Redis the session is also cached (cached_db); the database row is the truth
    r = client.get("/households/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_absolute_session_lifetime_8_hours(client, users):
    """等保: however active, a session ends 8 hours after login."""
    _login(client, "heying_cun")
    session = client.session
    session["auth_started_at"] = time.time() - 8 * 3600 - 5
    session.save()
    r = client.get("/households/", follow=True)
    assert r.redirect_chain[0][0].startswith("/accounts/login/")
    assert "登录已超过8小时，请重新登录。" in r.content.decode()
    assert client.get("/").status_code == 302  # logged out, not just redirected


def test_session_key_rotates_at_login(client, users):
    """Session fixation: the anonymous session key is not the signed-in one."""
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    _login(client, "heying_cun")
    assert client.session.session_key != before


def test_logout_is_post_only(client, users):
    _login(client, "heying_cun")
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_api_token_and_me(client, users):
    """§7: POST /api/v1/auth/token/ gives a token; GET /api/v1/me/ answers username, role and region code."""
    r = client.post("/api/v1/auth/token/", {"username": "zhandian_jingban", "password": PASSWORD},
                    content_type="application/json")
    assert r.status_code == 200
    token = r.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").json()
    assert (me["username"], me["role"], me["region"]) == ("zhandian_jingban", "township_caseworker", "410823101")
    assert me["region_name"] == "詹店镇"
    assert client.get("/api/v1/me/").status_code == 401
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token nonsense").status_code == 401
    r = client.post("/api/v1/auth/token/", {"username": "zhandian_jingban", "password": "wrong"},
                    content_type="application/json")
    assert r.status_code == 401 and "用户名或密码错误" in r.json()["detail"]


def test_api_token_expires_after_8_hours(client, users):
    """等保: a token lives as long as a session may (8 hours); a new request for a token replaces it."""
    from accounts.models import ApiToken
    from accounts.tokens import digest

    def get_token():
        return client.post("/api/v1/auth/token/", {"username": "heying_cun", "password": PASSWORD},
                           content_type="application/json").json()["token"]

    old = get_token()
    ApiToken.objects.filter(digest=digest(old)).update(expiry=timezone.now() - dt.timedelta(seconds=5))
    r = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {old}")
    assert r.status_code == 401 and "令牌已过期" in r.json()["detail"]
    new = get_token()
    assert new != old
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {new}").status_code == 200


def test_no_api_token_before_the_password_is_changed(client, users):
    """等保: the forced password change cannot be skipped through the API."""
    User.objects.filter(username="heying_cun").update(must_change_password=True)
    r = client.post("/api/v1/auth/token/", {"username": "heying_cun", "password": PASSWORD},
                    content_type="application/json")
    assert r.status_code == 403 and "修改密码" in r.json()["detail"]
