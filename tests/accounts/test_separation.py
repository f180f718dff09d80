"""Issue #3 §6 三权分立: system administrator (users, parameters), security administrator (login policy,
lockouts, keys), audit administrator (reads the whole trail, changes nothing). None holds another's
role; the system administrator cannot read or alter the trail of administrative actions; business
users keep seeing the history of the cases in their scope."""
import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts import services
from accounts.models import User
from accounts.selectors import audit_trail_for
from core import audit
from core.models import AuditEvent, Region

PAGES = {"users": "/accounts/users/", "security": "/accounts/security/", "trail": "/audit-trail/"}
ALLOWED = {"shi_xitong": {"users"}, "shi_anquan": {"security"}, "shi_shenji": {"trail"}}


@pytest.mark.django_db
@pytest.mark.parametrize("username", sorted(ALLOWED))
def test_each_administrator_reaches_only_their_own_pages(client, users, username):
    """§6 each of the three administrators reaches exactly their own pages (others are 404) and menu."""
    client.force_login(users[username])
    for name, url in PAGES.items():
        expected = 200 if name in ALLOWED[username] else 404
        assert client.get(url).status_code == expected, (username, url)
    home = client.get("/").content.decode()
    assert ("用户管理" in home) == ("users" in ALLOWED[username])
    assert ("安全管理" in home) == ("security" in ALLOWED[username])
    assert ("审计日志" in home) == ("trail" in ALLOWED[username])


@pytest.mark.django_db
def test_administrators_see_no_case_data(client, users):
    """§6 the three administrators have no business reach at all."""
    from tests.factories import PersonFactory

    household = PersonFactory().household
    for username in ALLOWED:
        client.force_login(users[username])
        assert client.get("/households/").status_code == 404
        assert client.get(f"/households/{household.pk}/").status_code == 404


@pytest.mark.django_db
def test_system_administrator_cannot_read_or_alter_the_trail(users):
    """§6 the system administrator cannot read the trail of administrative actions, nor alter any of it."""
    event = audit.record(actor=users["shi_xitong"], action="user.create", category=audit.Category.ADMIN,
                         object_type="accounts.user", object_repr="x", region=("", "", ""))
    assert not audit_trail_for(users["shi_xitong"]).exists()
    assert not audit_trail_for(users["shi_anquan"]).exists()
    assert event in audit_trail_for(users["shi_shenji"])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="改掉")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.django_db
def test_audit_administrator_changes_nothing(client, users):
    """§6 the audit administrator reads everything and can change nothing (every write path is 404)."""
    client.force_login(users["shi_shenji"])
    target = users["heying_cun"]
    for what in ("disable", "unlock", "reset"):
        assert client.post(f"/accounts/users/{target.pk}/{what}/", {"reason": "x"}).status_code == 404
    assert client.post("/accounts/users/new/", {"username": "x"}).status_code == 404
    with pytest.raises(ValidationError):
        services.user_set_active(actor=users["shi_shenji"], user=target, active=False, reason="x")
    assert User.objects.get(pk=target.pk).is_active


@pytest.mark.django_db
def test_none_can_hold_another_role(users):
    """§6 one role per user; administrators belong to the city only, hold no business region and no grants;
    the system administrator can neither create an administrator nor touch one's account."""
    xitong = users["shi_xitong"]
    village = Region.objects.get(code="410823101200")
    bad = User(username="x", role="audit_admin", region=village)
    with pytest.raises(ValidationError, match="市级"):
        bad.full_clean()
    for role in ("audit_admin", "security_admin", "system_admin"):
        with pytest.raises(ValidationError, match="三员"):
            services.user_create(actor=xitong, username=f"new_{role}", password="Very-Good-77x", role=role,
                                 region=Region.objects.get(code="410800"))
    for username in ("shi_shenji", "shi_anquan"):
        with pytest.raises(ValidationError, match="三员"):
            services.user_reset_password(actor=xitong, user=users[username])
        with pytest.raises(ValidationError, match="三员"):
            services.user_set_active(actor=xitong, user=users[username], active=False, reason="x")
    with pytest.raises(ValidationError, match="三员"):
        services.user_update(actor=xitong, user=users["heying_cun"], role="audit_admin",
                             region=Region.objects.get(code="410800"), full_name="x")
    with pytest.raises(ValidationError, match="自己"):
        services.user_set_active(actor=xitong, user=xitong, active=False, reason="x")
    from tests.factories import PersonFactory

    with pytest.raises(ValidationError, match="管理员"):
        services.object_grant(actor=xitong, user=users["shi_shenji"], obj=PersonFactory().household,
                              level="view", reason="试试")


@pytest.mark.django_db
def test_system_administrator_manages_business_accounts(client, users):
    """§6 user management: create (one-time password, must change), disable, enable, unlock, reset; audited."""
    client.force_login(users["shi_xitong"])
    response = client.post("/accounts/users/new/", {"username": "zhandian_li", "full_name": "詹店镇经办 李四",
                                                    "role": "township_caseworker", "region": "410823101"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    created = User.objects.get(username="zhandian_li")
    assert created.must_change_password and created.region_id == "410823101"
    assert created.check_password(response.context["temp"])  # the password shown is the account's
    assert "一次性密码" in response.content.decode()
    response = client.post("/accounts/users/new/", {"username": "bad", "full_name": "x",
                                                    "role": "village_staff", "region": "410823101"})
    assert "必须属于村（社区）级区划" in response.content.decode()
    client.post(f"/accounts/users/{created.pk}/disable/", {"reason": "调离"})
    assert not User.objects.get(pk=created.pk).is_active
    client.post(f"/accounts/users/{created.pk}/enable/", {"reason": "返岗"})
    assert User.objects.get(pk=created.pk).is_active
    User.objects.filter(pk=created.pk).update(locked_until=timezone.now() + timezone.timedelta(minutes=20))
    client.post(f"/accounts/users/{created.pk}/unlock/")
    assert not User.objects.get(pk=created.pk).is_locked()
    response = client.post(f"/accounts/users/{created.pk}/reset/")
    assert "一次性密码" in response.content.decode()
    actions = set(AuditEvent.objects.filter(object_id=str(created.pk), object_type="accounts.user")
                  .values_list("action", flat=True))
    assert {"user.create", "user.disable", "user.enable", "user.unlock", "user.password_reset"} <= actions


@pytest.mark.django_db
def test_security_administrator_sees_policy_lockouts_keys_and_unlocks(client, users):
    """§6 the security administrator: login policy, locked accounts (unlock), key versions and rotation status."""
    locked = users["xitao_jingban"]
    User.objects.filter(pk=locked.pk).update(locked_until=timezone.now() + timezone.timedelta(minutes=20))
    client.force_login(users["shi_anquan"])
    body = client.get("/accounts/security/").content.decode()
    for text in ("登录安全策略", "90 天", "30 分钟", "8 小时", "xitao_jingban", "当前第 1 版", "重新加密进度"):
        assert text in body
    response = client.post(f"/accounts/users/{locked.pk}/unlock/", {"next": "security"})
    assert response["Location"] == "/accounts/security/"
    assert not User.objects.get(pk=locked.pk).is_locked()
    assert AuditEvent.objects.filter(action="user.unlock", actor_username="shi_anquan").exists()
    # but no user management
    assert client.post(f"/accounts/users/{locked.pk}/reset/").status_code == 404


@pytest.mark.django_db
def test_business_users_keep_seeing_the_history_of_cases_in_their_scope(client, users):
    """§6 business users read the trail of the cases in their scope (village, township, county)."""
    from cases.households import services as case_services
    from tests.factories import make_id

    village = Region.objects.get(code="410823101200")
    household = case_services.household_create(
        actor=users["heying_cun"], village=village, address="何营东村1组", hukou_type="rural",
        members=[case_services.MemberData(name="王五", id_number=make_id(), relationship="head")])
    event = AuditEvent.objects.get(action="household.create", object_id=str(household.pk))
    for username in ("heying_cun", "zhandian_jingban", "wuzhi_minzheng", "shi_admin"):
        assert event in audit_trail_for(users[username]), username
    for username in ("xitao_jingban", "wenxian_minzheng"):
        assert event not in audit_trail_for(users[username]), username
    client.force_login(users["heying_cun"])
    body = client.get(f"/audit-trail/?object_type=cases.household&object_id={household.pk}").content.decode()
    assert "household.create" in body


@pytest.mark.django_db
def test_system_administrator_sets_parameters_with_a_reason(client, users):
    """§6 the system administrator keeps the parameters: set from a date, with a reason, audited."""
    import datetime as dt

    from core import params

    client.force_login(users["shi_xitong"])
    assert client.get("/accounts/parameters/")["Location"] == "/params/"  # one parameter page for everyone
    assert "密码有效期" in client.get("/params/").content.decode()
    day = timezone.localdate()
    url = "/params/accounts.password_max_age_days/"
    response = client.post(url, {"value": "60", "effective_from": day.isoformat(), "reason": ""})
    assert response.status_code == 200 and params.get("accounts.password_max_age_days") == 90
    client.post(url, {"value": "60", "effective_from": day.isoformat(), "reason": "市局通知"})
    assert params.get("accounts.password_max_age_days") == 60
    assert params.get("accounts.password_max_age_days", on=day - dt.timedelta(days=1)) == 90
    assert AuditEvent.objects.filter(action="parameter.set", actor_username="shi_xitong").exists()
    for username in ("shi_anquan", "shi_shenji", "heying_cun"):
        client.force_login(users[username])
        assert client.get("/accounts/parameters/").status_code == 404
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_pages_denied_to_a_role_are_404_and_audited(client, users):
    """§6 denied accesses are audited: the system administrator trying the audit trail leaves a trace."""
    client.force_login(users["shi_xitong"])
    assert client.get("/audit-trail/").status_code == 404
    assert client.get("/accounts/security/").status_code == 404
    denied = AuditEvent.objects.filter(action="access.denied", actor_username="shi_xitong")
    assert set(denied.values_list("object_repr", flat=True)) == {"/audit-trail/", "/accounts/security/"}
    assert denied.first() in audit_trail_for(users["shi_shenji"])


@pytest.mark.django_db
def test_create_admin_account_command_provisions_with_one_time_password(users):
    """§6 administrators are provisioned on the server; the account must change its password first."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("create_admin_account", "--role", "audit_admin", "--username", "shenji_2", stdout=out)
    user = User.objects.get(username="shenji_2")
    assert user.role == "audit_admin" and user.region_id == "410800" and user.must_change_password
    assert "一次性密码" in out.getvalue()
    assert user.check_password(out.getvalue().split("一次性密码：")[1].split("（")[0])
