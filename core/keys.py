"""The one key provider. Today: a JSON key file outside the repository or the JIUZHU_KEYS variable.

Format::

    {"enc": {"1": "<32 hex: SM4 key>", "2": "..."}, "current": 2, "index": "<64 hex: HMAC-SM3 key>"}

A KMS or hardware module replaces `_load_raw` and nothing else.
"""
from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class KeyRing:
    enc: dict[int, bytes]
    current: int
    index: bytes

    def enc_key(self, version: int) -> bytes:
        try:
            return self.enc[version]
        except KeyError:
            raise ImproperlyConfigured(f"缺少第 {version} 版数据加密密钥") from None


def _load_raw() -> dict:
    if settings.JIUZHU_KEYS_JSON:
        return json.loads(settings.JIUZHU_KEYS_JSON)
    path = Path(settings.JIUZHU_KEY_FILE)
    if not path.exists():
        raise ImproperlyConfigured(
            f"找不到密钥文件 {path}；开发环境请运行 `python manage.py ensure_dev_keys`，"
            "生产环境请通过 JIUZHU_KEYS 或 JIUZHU_KEY_FILE 提供密钥"
        )
    return json.loads(path.read_text())


def parse_keyring(raw: dict) -> KeyRing:
    try:
        enc = {int(v): bytes.fromhex(k) for v, k in raw["enc"].items()}
        current = int(raw["current"])
        index = bytes.fromhex(raw["index"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"密钥格式错误：{exc!r}") from None
    if current not in enc:
        raise ImproperlyConfigured("当前密钥版本不在密钥列表中")
    if any(len(k) != 16 for k in enc.values()):
        raise ImproperlyConfigured("SM4 密钥必须为 16 字节（32 个十六进制字符）")
    if len(index) < 32:
        raise ImproperlyConfigured("盲索引 HMAC-SM3 密钥至少 32 字节")
    if index in enc.values():
        raise ImproperlyConfigured("盲索引密钥不得与加密密钥相同")
    return KeyRing(enc=enc, current=current, index=index)


@lru_cache(maxsize=1)
def get_keyring() -> KeyRing:
    return parse_keyring(_load_raw())


def reset_keyring() -> None:
    get_keyring.cache_clear()


def new_keyfile_content() -> dict:
    return {"enc": {"1": secrets.token_hex(16)}, "current": 1, "index": secrets.token_hex(32)}


def write_keyfile(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(content, indent=2))
    os.chmod(tmp, 0o600)
    tmp.replace(path)
