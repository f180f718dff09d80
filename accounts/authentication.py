"""API tokens obey the session rules: they expire after the absolute lifetime (8 hours) and after 30
minutes unused, and are refused while the account must change its password or is disabled/locked. Tokens
are looked up by digest (accounts.tokens); the idle clock is kept under the digest, never the key."""
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from accounts import tokens

_LAST_USE = "api_token_last_use:"


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = tokens.find(key)
        if token is None:
            raise AuthenticationFailed("令牌无效")
        user = token.user
        if not user.is_active:
            raise AuthenticationFailed("账号已停用")
        now = timezone.now()
        last = cache.get(_LAST_USE + token.digest)
        if token.expiry <= now or (last is not None and now.timestamp() - last > settings.SESSION_IDLE_TIMEOUT):
            token.delete()
            raise AuthenticationFailed("令牌已过期，请重新获取")
        if user.is_locked():
            raise AuthenticationFailed("账号已锁定")
        if user.must_change_password:
            raise AuthenticationFailed("请先在网页上修改初始密码")
        cache.set(_LAST_USE + token.digest, now.timestamp(), settings.SESSION_ABSOLUTE_LIFETIME)
        return user, token
