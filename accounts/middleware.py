"""Session policy: absolute lifetime, forced password change (first login, expiry)."""
import datetime as dt
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from core import params

_EXEMPT_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/password/", "/public/", "/api/")


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session") and "_auth_user_id" in request.session:
            now = time.time()
            started = request.session.get("auth_started_at")
            if started is None:
                request.session["auth_started_at"] = now
            elif now - started > settings.SESSION_ABSOLUTE_LIFETIME:
                logout(request)
                messages.info(request, "登录已超过8小时，请重新登录。")
                return redirect(f"{reverse('login')}?next={request.path}")
            if now - request.session.get("seen_at", 0) >= settings.SESSION_REFRESH_SECONDS:
                request.session["seen_at"] = now  # marks the session modified: saved, idle clock restarts
            if not request.path.startswith(_EXEMPT_PREFIXES) and self._must_change(user):
                return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _must_change(user) -> bool:
        if user.must_change_password:
            return True
        max_age = params.get("accounts.password_max_age_days")
        return user.password_changed_at < timezone.now() - dt.timedelta(days=max_age)
