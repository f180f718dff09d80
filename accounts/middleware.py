"""Session policy: idle timeout (30 min, enforced server-side as well as by the cookie age), absolute
lifetime (8 h), forced password change (first login, expiry after accounts.password_max_age_days)."""
import datetime as dt
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from core import audit, params

_EXEMPT_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/password/", "/public/", "/api/")


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session") and "_auth_user_id" in request.session:
            now = time.time()
            started = request.session.get("auth_started_at")
            last_seen = request.session.get("last_seen_at")
            if started is None:
                request.session["auth_started_at"] = started = now
            if now - started > settings.SESSION_ABSOLUTE_LIFETIME:
                return self._end(request, "登录已超过8小时，请重新登录。", "session.absolute_timeout")
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                return self._end(request, "超过30分钟未操作，请重新登录。", "session.idle_timeout")
            if last_seen is None or now - last_seen >= settings.SESSION_REFRESH_SECONDS:
                # At most one session write a minute: the idle clock restarts and the cookie is renewed.
                request.session["last_seen_at"] = now
            if not request.path.startswith(_EXEMPT_PREFIXES) and self.must_change_password(user):
                return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _end(request, message: str, action: str):
        audit.record(actor=request.user, action=action, obj=request.user, category=audit.Category.SECURITY,
                     region=("", "", ""))
        logout(request)
        messages.info(request, message)
        return redirect(f"{reverse('login')}?next={request.path}")

    @staticmethod
    def must_change_password(user) -> bool:
        """First login with an initial password, or the password is older than the allowed age."""
        if user.must_change_password:
            return True
        max_age = params.get("accounts.password_max_age_days")
        return user.password_changed_at < timezone.now() - dt.timedelta(days=max_age)
