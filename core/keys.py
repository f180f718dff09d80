"""The one key provider. Today: a JSON key file outside the repository or the JIUZHU_KEYS variable.

Format::

    {"enc": {"1": "<32 hex: SM4 key>", "2": "..."}, "current": 2,
     "index": {"1": "<64 hex: HMAC-SM3 key>", "2": "..."}, "index_current": 2}

`"index": "<64 hex>"` (a single string) is the original format and means index key version 1.
A KMS or hardware module replaces `_load_raw` (and `add_*_version`) and nothing else.

Wrong keys are caught by `core.keycheck`: the database keeps a check value per key version and
startup (`manage.py check`, runserver, wsgi, the Celery worker) refuses keys that do not match.
"""
from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class KeyRing:
    enc: dict[int, bytes]
    current: int
    index_keys: dict[int, bytes]
    index_current: int

    def enc_key(self, version: int) -> bytes:
        try:
            return self.enc[version]
        except KeyError:
            raise ImproperlyConfigured(f"缺少第 {version} 版数据加密密钥") from None

    def index_key(self, version: int) -> bytes:
        try:
            return self.index_keys[version]
        except KeyError:
            raise ImproperlyConfigured(f"缺少第 {version} 版盲索引密钥") from None

    @property
    def index(self) -> bytes:
        """The current blind-index key."""
        return self.index_keys[self.index_current]


def file_provider() -> bool:
    """Whether keys come from a file this process may extend (rotation adds versions to it)."""
    return not settings.JIUZHU_KEYS_JSON


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
        if isinstance(raw["index"], str):
            index_keys = {1: bytes.fromhex(raw["index"])}
            index_current = 1
        else:
            index_keys = {int(v): bytes.fromhex(k) for v, k in raw["index"].items()}
            index_current = int(raw.get("index_current", max(index_keys)))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ImproperlyConfigured(f"密钥格式错误：{exc!r}") from None
    if current not in enc:
        raise ImproperlyConfigured("当前密钥版本不在密钥列表中")
    if index_current not in index_keys:
        raise ImproperlyConfigured("当前盲索引密钥版本不在密钥列表中")
    if any(len(k) != 16 for k in enc.values()):
        raise ImproperlyConfigured("SM4 密钥必须为 16 字节（32 个十六进制字符）")
    if any(len(k) < 32 for k in index_keys.values()):
        raise ImproperlyConfigured("盲索引 HMAC-SM3 密钥至少 32 字节")
    if set(index_keys.values()) & set(enc.values()):
        raise ImproperlyConfigured("盲索引密钥不得与加密密钥相同")
    if any(v < 1 or v > 999 for v in list(enc) + list(index_keys)):
        raise ImproperlyConfigured("密钥版本号须在 1 至 999 之间")
    return KeyRing(enc=enc, current=current, index_keys=index_keys, index_current=index_current)


_cache: dict = {"stamp": None, "ring": None, "checked": 0.0}
RECHECK_SECONDS = 2.0


def _stamp():
    """What the loaded ring was read from. A key file changed by rotate_keys (new mtime) is re-read by
    every running process within RECHECK_SECONDS, so web workers seal with the new version and can
    read rows already re-encrypted. (With JIUZHU_KEYS, restart the processes after changing it.)"""
    if settings.JIUZHU_KEYS_JSON:
        return ("env", settings.JIUZHU_KEYS_JSON)
    try:
        return ("file", settings.JIUZHU_KEY_FILE, os.stat(settings.JIUZHU_KEY_FILE).st_mtime_ns)
    except OSError:
        return ("file", settings.JIUZHU_KEY_FILE, None)


def get_keyring() -> KeyRing:
    now = time.monotonic()
    if _cache["ring"] is not None and now - _cache["checked"] < RECHECK_SECONDS:
        return _cache["ring"]
    stamp = _stamp()
    if _cache["ring"] is None or _cache["stamp"] != stamp:
        _cache["ring"], _cache["stamp"] = parse_keyring(_load_raw()), stamp
    _cache["checked"] = now
    return _cache["ring"]


def reset_keyring() -> None:
    _cache["ring"] = _cache["stamp"] = None
    _cache["checked"] = 0.0


def new_keyfile_content() -> dict:
    return {"enc": {"1": secrets.token_hex(16)}, "current": 1, "index": {"1": secrets.token_hex(32)},
            "index_current": 1}


def write_keyfile(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(content, indent=2))
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def _normalised_raw() -> dict:
    raw = _load_raw()
    if isinstance(raw.get("index"), str):
        raw["index"] = {"1": raw["index"]}
        raw["index_current"] = 1
    return raw


def add_enc_version() -> int:
    """Generate a new SM4 key, make it current in the key file, return its version. File provider only."""
    if not file_provider():
        raise ImproperlyConfigured(
            "密钥由环境变量 JIUZHU_KEYS 提供：请在密钥管理处生成新版本密钥、设为 current 并重启后，"
            "再运行 rotate_keys 重新加密")
    raw = _normalised_raw()
    version = max(int(v) for v in raw["enc"]) + 1
    raw["enc"][str(version)] = secrets.token_hex(16)
    raw["current"] = version
    write_keyfile(Path(settings.JIUZHU_KEY_FILE), raw)
    reset_keyring()
    return version


def add_index_version() -> int:
    """Generate a new blind-index key and make it current in the key file. File provider only."""
    if not file_provider():
        raise ImproperlyConfigured(
            "密钥由环境变量 JIUZHU_KEYS 提供：请在密钥管理处生成新版本盲索引密钥、设为 index_current 并重启后，"
            "再运行 rotate_keys --index 重算盲索引")
    raw = _normalised_raw()
    version = max(int(v) for v in raw["index"]) + 1
    raw["index"][str(version)] = secrets.token_hex(32)
    raw["index_current"] = version
    write_keyfile(Path(settings.JIUZHU_KEY_FILE), raw)
    reset_keyring()
    return version
