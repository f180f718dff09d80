"""API tokens live as long as a signed-in session may (SESSION_ABSOLUTE_LIFETIME, 8 hours); then the client
asks POST /api/v1/auth/token/ again, which checks the password and the lockout once more."""
import datetime as dt

from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


def token_expired(token) -> bool:
    return token.created < timezone.now() - dt.timedelta(seconds=settings.SESSION_ABSOLUTE_LIFETIME)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise AuthenticationFailed("令牌已过期，请重新获取")
        return user, token
