"""The user of each request (accounts.backends.LockoutModelBackend.get_user) is read with SQL written once per
process, not an ORM queryset compiled per request: it must be the same user, and every change to the row must
be seen on the very next request."""
import pytest
from django.contrib.auth import get_user_model

from accounts import services
from accounts.backends import LockoutModelBackend
from accounts.models import User
from core.models import Region

pytestmark = pytest.mark.django_db
PASSWORD = "jiuzhu-demo-2026"


def _login(client, username):
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302


def test_same_user_and_region_as_the_orm(users):
    backend = LockoutModelBackend()
    for expected in User.objects.select_related("region"):
        user = backend.get_user(expected.pk)
        if not expected.is_active:
            assert user is None
            continue
        for field in User._meta.concrete_fields:
            assert getattr(user, field.attname) == getattr(expected, field.attname), field.name
        for field in Region._meta.concrete_fields:
            assert getattr(user.region, field.attname) == getattr(expected.region, field.attname), field.name
        assert user._state.adding is False and user._state.db == "default"
        assert User._meta.get_field("region").is_cached(user)  # the header's region costs no second query


def test_absent_or_malformed_id_has_no_user(users):
    backend = LockoutModelBackend()
    assert backend.get_user(10**12) is None
    assert backend.get_user("not-a-number") is None


def test_deactivated_user_is_logged_out_on_the_next_request(client, users):
    _login(client, "zhandian_jingban")
    assert client.get("/households/").status_code == 200
    services.user_set_active(actor=users["shi_xitong"], user=users["zhandian_jingban"], active=False, reason="离职")
    response = client.get("/households/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_password_change_elsewhere_ends_the_session(client, users):
    _login(client, "zhandian_jingban")
    assert client.get("/households/").status_code == 200
    services.user_set_password(user=users["zhandian_jingban"], password="Xin-mima-2027!")
    response = client.get("/households/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_role_and_region_changes_apply_on_the_next_request(client, users):
    _login(client, "zhandian_jingban")
    before = client.get("/")
    assert users["zhandian_jingban"].region.name in before.content.decode()
    other = Region.objects.filter(level=Region.Level.TOWNSHIP).exclude(code=users["zhandian_jingban"].region_id)
    other = other.first()
    get_user_model().objects.filter(pk=users["zhandian_jingban"].pk).update(region=other)
    assert other.name in client.get("/").content.decode()
