"""Checks shared by the social-forces services."""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from accounts.scope import can


def within(actor, action: str, obj: models.Model, *, refuse: str = "") -> None:
    """The actor's role may take `action` and `obj` lies within the actor's reach (region and, for the narrowed
    roles, their own fund / provider / pairings): the same rule as the lists, applied before a write."""
    if not can(actor, action):
        raise ValidationError(refuse or "您的角色无权进行此操作")
    if not type(obj)._default_manager.restrict(actor, action).filter(pk=obj.pk).exists():
        raise ValidationError("该记录不在您的管辖范围内")


def positive(amount, field: str = "amount", label: str = "金额") -> Decimal:
    if amount is None or amount <= 0:
        raise ValidationError({field: f"{label}须大于0"})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: f"{label}最多保留两位小数"})
    return amount


def text(value: str, field: str, label: str, *, minimum: int = 1) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        raise ValidationError({field: f"请填写{label}" if minimum <= 1 else f"请写明{label}（至少{minimum}个字）"})
    return value
