"""Password login with lockout: 5 failures lock the account for 30 minutes (settings), all audited.

The lock check, the password check and the failure count happen under one row lock of the user
(SELECT … FOR UPDATE), so parallel wrong passwords queue and lock the account exactly like sequential ones:
20 at once get 5 password checks and 15 refusals, not 20 guesses."""
import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import audit


class LockoutModelBackend(ModelBackend):
    def get_user(self, user_id):
        """The user of each request, with the region every page header shows (one query, not two)."""
        User = get_user_model()
        try:
            user = User._default_manager.select_related("region").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None or password is None:
            return None
        with transaction.atomic():
            user = User.objects.select_for_update().filter(username=username).first()
            return self._check(request, User, username, user, password)

    def _check(self, request, User, username, user, password):
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle
            audit.record(actor=None, action="login.failed", category=audit.Category.SECURITY,
                         object_type="accounts.user", object_repr=username[:150], reason="用户名不存在")
            return None
        if user.is_locked():
            audit.record(actor=None, action="login.refused_locked", obj=user, category=audit.Category.SECURITY,
                         region=("", "", ""))
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            if user.failed_logins:
                User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
                user.failed_logins, user.locked_until = 0, None
            return user
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins"])
        audit.record(actor=None, action="login.failed", obj=user, category=audit.Category.SECURITY,
                     region=("", "", ""), reason=f"第{user.failed_logins}次失败")
        if user.failed_logins >= settings.LOGIN_LOCKOUT_THRESHOLD:
            until = timezone.now() + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            User.objects.filter(pk=user.pk).update(locked_until=until, failed_logins=0)
            audit.record(actor=None, action="login.lockout", obj=user, category=audit.Category.SECURITY,
                         region=("", "", ""), reason=f"连续{settings.LOGIN_LOCKOUT_THRESHOLD}次登录失败，锁定至{timezone.localtime(until):%H:%M}")
        return None
