from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import ADMIN_ROLES, Region, Role, User
from accounts.scope import Action, can, grants_changed
from core import audit


def user_create(
    *, actor, username: str, password: str, role: str, region: Region, full_name: str = "",
    must_change_password: bool = True,
) -> User:
    """Create an account. Administrators' accounts change their password at first login."""
    if actor is not None and not can(actor, Action.USERS_MANAGE):
        raise ValidationError("只有系统管理员可以创建账号")
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


__all__ = ["user_create", "user_set_password", "object_grant", "object_revoke", "Role"]
