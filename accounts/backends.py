"""Password login with lockout: 5 failures lock the account for 30 minutes (settings), all audited.

The lock check, the password check and the failure count happen under one row lock of the user
(SELECT … FOR UPDATE), so parallel wrong passwords queue and lock the account exactly like sequential ones:
20 at once get 5 password checks and 15 refusals, not 20 guesses."""
import datetime as dt
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import F
from django.utils import timezone

from core import audit


@lru_cache(maxsize=8)
def _user_statement(alias: str) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple]:
    """SELECT of a user's row with its region's row (what select_related("region").get(pk=…) reads), written
    once per process and database from the models' fields, with the backend's value converters (none on
    PostgreSQL). Compiling that queryset cost more CPU than the query itself on every request
    (bench/README.md); the row is still read afresh on every request, so a deactivated user, a changed password
    (the session hash) or a new role or region takes effect on the next request."""
    User = get_user_model()
    field = User._meta.get_field("region")
    Region = field.related_model
    connection = connections[alias]
    qn = connection.ops.quote_name
    fields = [*User._meta.concrete_fields, *Region._meta.concrete_fields]
    converters = []
    for i, f in enumerate(fields):
        col = f.get_col(User._meta.db_table if i < len(User._meta.concrete_fields) else Region._meta.db_table)
        found = connection.ops.get_db_converters(col) + f.get_db_converters(connection)
        if found:
            converters.append((i, tuple(found), col))
    columns = [f"u.{qn(f.column)}" for f in User._meta.concrete_fields]
    columns += [f"r.{qn(f.column)}" for f in Region._meta.concrete_fields]
    sql = (f"SELECT {', '.join(columns)} FROM {qn(User._meta.db_table)} u "  # noqa: S608 - names from the models
           f"JOIN {qn(Region._meta.db_table)} r ON r.{qn(field.target_field.column)} = u.{qn(field.column)} "
           f"WHERE u.{qn(User._meta.pk.column)} = %s")
    return (sql, tuple(f.attname for f in User._meta.concrete_fields),
            tuple(f.attname for f in Region._meta.concrete_fields), tuple(converters))


class LockoutModelBackend(ModelBackend):
    def get_user(self, user_id):
        """The user of each request, with the region every page header shows (one query, not two)."""
        User = get_user_model()
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:  # a malformed id has no user
            return None
        alias = router.db_for_read(User) or "default"
        sql, user_fields, region_fields, converters = _user_statement(alias)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        if converters:
            row = list(row)
            for i, found, col in converters:
                for convert in found:
                    row[i] = convert(row[i], col, connection)
        field = User._meta.get_field("region")
        user = User.from_db(alias, user_fields, row[:len(user_fields)])
        field.set_cached_value(user, field.related_model.from_db(alias, region_fields, row[len(user_fields):]))
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
