"""Passwords: Argon2id first; a PBKDF2 hash from before is upgraded at the next login. (The rest of the suite
keeps the test settings' fast hasher; this test switches to the production list.)"""
import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import make_password

from accounts.models import User
from jiuzhu.settings import base


def test_production_settings_put_argon2_first():
    assert base.PASSWORD_HASHERS[0] == "accounts.hashers.JiuzhuArgon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in base.PASSWORD_HASHERS


@pytest.mark.django_db
def test_old_pbkdf2_hash_is_upgraded_at_next_login(client, users, settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    user = users["zhandian_jingban"]
    User.objects.filter(pk=user.pk).update(
        password=make_password("jiuzhu-demo-2026", hasher="pbkdf2_sha256"))
    r = client.post("/accounts/login/", {"username": user.username, "password": "jiuzhu-demo-2026"})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$") and "m=32768,t=2,p=2" in user.password
    assert user.check_password("jiuzhu-demo-2026")
    assert django_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
