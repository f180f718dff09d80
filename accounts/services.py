from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import ADMIN_ROLES, Role, User
from accounts.scope import Action, can, grants_changed, require
from core import audit, params
from core.models import Region

ADMIN_ACCOUNT_REFUSED = "三员（系统/安全/审计管理员）账号不能在页面上创建或管理，须在服务器上用 create_admin_account 命令办理"


def user_create(
    *, actor, username: str, password: str, role: str, region: Region, full_name: str = "",
    must_change_password: bool = True,
) -> User:
    """Create an account; it must change its password at first login (the administrator knows it).

    `actor=None` is the server-side provisioning of the three administrators (create_admin_account):
    the system administrator creates business accounts only, so he can never hand himself or a
    colleague the audit or security administrator's role (三权分立).
    """
    if actor is not None and not can(actor, Action.USERS_MANAGE):
        raise ValidationError("只有系统管理员可以创建账号")
    if actor is not None and role in ADMIN_ROLES:
        raise ValidationError(ADMIN_ACCOUNT_REFUSED)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "该用户名已被使用"})
    user = User(username=username, role=role, region=region, full_name=full_name,
                must_change_password=must_change_password)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    with transaction.atomic():
        user.save()
        audit.record(actor=actor, action="user.create", obj=user, after=audit.snapshot(
            user, ["username", "role", "region", "full_name"]), category=audit.Category.ADMIN,
            region=(region.code[:6], "", ""))
    return user


def user_set_password(*, user: User, password: str, actor=None) -> None:
    validate_password(password, user)
    if user.check_password(password):
        raise ValidationError("新密码不能与原密码相同")
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit.record(actor=actor or user, action="user.password_change", obj=user, category=audit.Category.SECURITY,
                 region=("", "", ""))


def object_grant(*, actor, user: User, obj, level: str, reason: str) -> None:
    """An explicit, audited per-object exception (e.g. a case shared with another township)."""
    if level not in {"view", "change"}:
        raise ValidationError("授权级别只能是查看或修改")
    if not reason.strip():
        raise ValidationError("单独授权必须说明原因")
    if user.role in ADMIN_ROLES:
        raise ValidationError("不能向管理员账号授予业务数据权限")
    with transaction.atomic():
        assign_perm(f"{obj._meta.app_label}.{level}_{obj._meta.model_name}", user, obj)
        grants_changed(user)
        audit.record(actor=actor, action="grant.add", obj=obj, after={"user": user.username, "level": level},
                     reason=reason)


def object_revoke(*, actor, user: User, obj, level: str, reason: str) -> None:
    with transaction.atomic():
        remove_perm(f"{obj._meta.app_label}.{level}_{obj._meta.model_name}", user, obj)
        grants_changed(user)
        audit.record(actor=actor, action="grant.remove", obj=obj, before={"user": user.username, "level": level},
                     reason=reason)


def _manageable(actor, user: User, *, action: str = Action.USERS_MANAGE) -> None:
    require(actor, action)
    if user.pk == actor.pk:
        raise ValidationError("不能对自己的账号进行此操作")
    if action == Action.USERS_MANAGE and user.role in ADMIN_ROLES:
        raise ValidationError(ADMIN_ACCOUNT_REFUSED)


def _admin_audit(actor, action: str, user: User, *, before=None, after=None, reason: str = "",
                 category=audit.Category.ADMIN) -> None:
    audit.record(actor=actor, action=action, obj=user, before=before, after=after, reason=reason,
                 category=category, region=("", "", ""))


def user_update(*, actor, user: User, role: str, region: Region, full_name: str, reason: str = "") -> User:
    """Change a business account's role, region or name (one role, one region of the matching level)."""
    _manageable(actor, user)
    if role in ADMIN_ROLES:
        raise ValidationError(ADMIN_ACCOUNT_REFUSED)
    before = audit.snapshot(user, ["role", "region", "full_name"])
    user.role, user.region, user.full_name = role, region, full_name
    user.full_clean()
    with transaction.atomic():
        user.save(update_fields=["role", "region", "full_name"])
        b, a = audit.diff(before, audit.snapshot(user, ["role", "region", "full_name"]))
        _admin_audit(actor, "user.update", user, before=b, after=a, reason=reason)
    return user


def user_set_active(*, actor, user: User, active: bool, reason: str) -> User:
    """Disable (or re-enable) an account; a disabled account cannot log in, its history stays."""
    _manageable(actor, user)
    if not reason or not reason.strip():
        raise ValidationError("停用或启用账号必须说明原因")
    with transaction.atomic():
        user.is_active = active
        fields = ["is_active"]
        if active:  # re-enabled after inactivity: counts as fresh, else the nightly task disables it again
            user.last_login = timezone.now()
            fields.append("last_login")
        user.save(update_fields=fields)
        _admin_audit(actor, "user.enable" if active else "user.disable", user, after={"is_active": active},
                     reason=reason)
    return user


def user_unlock(*, actor, user: User) -> User:
    """Lift a lockout after failed logins (system or security administrator)."""
    if not (can(actor, Action.USERS_MANAGE) or can(actor, Action.SECURITY_MANAGE)):
        raise ValidationError("您的角色无权解锁账号")
    with transaction.atomic():
        before = {"locked_until": audit._jsonable(user.locked_until), "failed_logins": user.failed_logins}
        user.locked_until, user.failed_logins = None, 0
        user.save(update_fields=["locked_until", "failed_logins"])
        _admin_audit(actor, "user.unlock", user, before=before, category=audit.Category.SECURITY)
    return user


def temp_password() -> str:
    """A random one-time password for a new or reset account (shown once; changed at the first login)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10)) + secrets.choice("!@#%&*") + secrets.choice("23456789")


def user_reset_password(*, actor, user: User) -> str:
    """Set a random temporary password that must be changed at the next login; return it (shown once)."""
    _manageable(actor, user)
    temp = temp_password()
    with transaction.atomic():
        user.set_password(temp)
        user.must_change_password = True
        user.password_changed_at = timezone.now()
        user.locked_until, user.failed_logins = None, 0
        user.save(update_fields=["password", "must_change_password", "password_changed_at", "locked_until",
                                 "failed_logins"])
        _admin_audit(actor, "user.password_reset", user, category=audit.Category.SECURITY)
    return temp


def disable_inactive_accounts(*, today=None) -> list[str]:
    """Disable accounts unused for accounts.inactive_disable_days (last login, or creation if never)."""
    days = params.get("accounts.inactive_disable_days")
    cutoff = timezone.now() - dt.timedelta(days=days)
    stale = User.objects.filter(is_active=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
    disabled = []
    for user in stale:
        with transaction.atomic():
            user.is_active = False
            user.save(update_fields=["is_active"])
            _admin_audit(None, "user.disable_inactive", user, after={"is_active": False},
                         reason=f"超过{days}天未登录，自动停用", category=audit.Category.SECURITY)
        disabled.append(user.username)
    return disabled


__all__ = ["temp_password", "user_create", "user_update", "user_set_active", "user_unlock", "user_reset_password",
           "user_set_password", "disable_inactive_accounts", "object_grant", "object_revoke", "Role"]
