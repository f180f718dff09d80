"""API tokens, hashed at rest with an expiry (issue #15): `issue` returns the key once and stores only its
SHA-256 digest; `find` looks a presented key up by digest. Issuing locks the user row, so concurrent token
requests of one user queue instead of colliding (no 500), and each issue replaces the user's older tokens
(a fresh token at every login, like the session id)."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, User


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def issue(user: User) -> str:
    key = secrets.token_hex(20)
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        ApiToken.objects.filter(user=user).delete()
        ApiToken.objects.create(user=user, prefix=key[:8], digest=digest(key), created=now,
                                expiry=now + dt.timedelta(seconds=settings.SESSION_ABSOLUTE_LIFETIME))
    return key


def find(key: str) -> ApiToken | None:
    if not key or len(key) > 200:
        return None
    return ApiToken.objects.select_related("user", "user__region").filter(digest=digest(key)).first()


def purge_expired() -> int:
    return ApiToken.objects.filter(expiry__lte=timezone.now()).delete()[0]
