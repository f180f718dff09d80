"""Bank/social-security card numbers and phone numbers: normalise, mask, seal (SM4) and index."""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from core import crypto

_FULLWIDTH = re.compile(r"[\uff10-\uff19]")
_SEPARATORS = re.compile(r"[\s-]+")
_PHONE = re.compile(r"1\d{10}|0\d{9,11}")


def normalize_card(raw: str) -> str:
    text = str(raw or "")
    if _FULLWIDTH.search(text):
        raise ValidationError("卡号含全角数字，请改用半角数字", code="fullwidth")
    value = _SEPARATORS.sub("", text)
    if not (value.isascii() and value.isdigit()) or not 12 <= len(value) <= 19:
        raise ValidationError("社保卡号/银行账号应为12至19位数字", code="card")
    return value


def mask_card(value: str) -> str:
    return f"****{value[-4:]}" if value else ""


def normalize_phone(raw: str) -> str:
    value = _SEPARATORS.sub("", str(raw or ""))
    if not _PHONE.fullmatch(value):
        raise ValidationError("电话号码格式不正确（手机11位，座机带区号）", code="phone")
    return value


def mask_phone(value: str) -> str:
    if not value:
        return ""
    return f"{value[:3]}****{value[-4:]}" if len(value) == 11 else f"{value[:4]}****{value[-2:]}"


def seal(value: str, *, aad: str) -> bytes:
    return crypto.encrypt(value, aad=aad)


def unseal(cipher: bytes, *, aad: str) -> str:
    return crypto.decrypt(cipher, aad=aad)


def index(kind: str, value: str) -> str:
    return crypto.blind_index(kind, value)


def index_candidates(kind: str, value: str) -> list[str]:
    """Under every index key in the ring: match with `<column>__in=` (exact during index rotation)."""
    return crypto.blind_index_candidates(kind, value)
