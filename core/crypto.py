"""SM4-GCM encryption and HMAC-SM3 blind indexes for personal data (GB/T 39786 commercial cryptography).

Ciphertext layout: b"\\x01" | key version (2 bytes, big endian) | nonce (12) | ciphertext | tag (16).
The associated data binds a ciphertext to its row and field, so a ciphertext copied to another row,
or one flipped byte, fails with DecryptionError instead of decrypting to a wrong value.
"""
from __future__ import annotations

import hmac as std_hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from core import keys

FORMAT = 1
_HEADER = 3
_NONCE = 12
_TAG = 16


class DecryptionError(Exception):
    """The ciphertext is damaged, belongs to another row, or the key is wrong."""


def encrypt(plaintext: str, *, aad: str, version: int | None = None) -> bytes:
    return encrypt_bytes(plaintext.encode(), aad=aad, version=version)


def encrypt_bytes(plaintext: bytes, *, aad: str, version: int | None = None) -> bytes:
    """`encrypt` for binary content (attachments): same layout, same keys."""
    ring = keys.get_keyring()
    version = ring.current if version is None else version
    nonce = os.urandom(_NONCE)
    enc = Cipher(_sm4(version, ring.enc_key(version)), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(aad.encode())
    body = enc.update(plaintext) + enc.finalize()
    return bytes([FORMAT]) + version.to_bytes(2, "big") + nonce + body + enc.tag


_SM4_KEYS: dict[tuple[int, bytes], algorithms.SM4] = {}


def _sm4(version: int, key: bytes) -> algorithms.SM4:
    """The key object of an SM4 key, made once per key (a bulk job seals hundreds of thousands of values);
    a new key (rotation, tests) gets its own."""
    found = _SM4_KEYS.get((version, key))
    if found is None:
        if len(_SM4_KEYS) > 16:
            _SM4_KEYS.clear()
        found = _SM4_KEYS[(version, key)] = algorithms.SM4(key)
    return found


def key_version(blob: bytes) -> int:
    blob = bytes(blob)
    if len(blob) < _HEADER + _NONCE + _TAG or blob[0] != FORMAT:
        raise DecryptionError("密文格式无法识别")
    return int.from_bytes(blob[1:3], "big")


def decrypt(blob: bytes, *, aad: str) -> str:
    return decrypt_bytes(blob, aad=aad).decode()


def decrypt_bytes(blob: bytes, *, aad: str) -> bytes:
    blob = bytes(blob)
    version = key_version(blob)
    ring = keys.get_keyring()
    if version not in ring.enc:  # sealed by a process that already saw a rotated key file: re-read it now
        keys.reset_keyring()
        ring = keys.get_keyring()
    nonce = blob[_HEADER : _HEADER + _NONCE]
    body, tag = blob[_HEADER + _NONCE : -_TAG], blob[-_TAG:]
    dec = Cipher(_sm4(version, ring.enc_key(version)), modes.GCM(nonce, tag)).decryptor()
    dec.authenticate_additional_data(aad.encode())
    try:
        return dec.update(body) + dec.finalize()
    except InvalidTag:
        raise DecryptionError("密文校验失败：数据被篡改、被复制到其他记录，或密钥错误") from None


INDEX_LENGTH = 64  # the width of every blind-index column
_INDEX_TEMPLATES: dict[tuple[int, bytes], hmac.HMAC] = {}


def blind_index(kind: str, normalized: str, *, version: int | None = None) -> str:
    """Keyed HMAC-SM3 of a normalised value; `kind` separates ID, card, phone.

    Version 1 of the index key gives the bare 64 hex characters. Later versions are written into
    their own keyspace, "v<n>:" followed by the first hex characters (still 64 characters in all), so
    a value under the new key can never equal any value under the old one: rotating the index key
    rewrites rows one by one and the unique constraint on the column holds at every moment.
    """
    return blind_indexer(kind, version=version)(normalized)


def blind_indexer(kind: str, *, version: int | None = None):
    """`blind_index(kind, ·)` as a function of the value, for one bulk job (a comparison file of 200,000
    IDs): the key ring, the key version and the keyed HMAC state are looked up once, not once per value.

    The keyed HMAC state is built once per index key and copied per value; a new key (rotation, tests)
    gets its own state."""
    ring = keys.get_keyring()
    version = ring.index_current if version is None else version
    key = ring.index_key(version)
    template = _INDEX_TEMPLATES.get((version, key))
    if template is None:
        if len(_INDEX_TEMPLATES) > 16:
            _INDEX_TEMPLATES.clear()
        template = _INDEX_TEMPLATES[(version, key)] = hmac.HMAC(key, hashes.SM3())
    prefix = f"{kind}:"
    keyspace = "" if version == 1 else f"v{version}:"
    width = INDEX_LENGTH - len(keyspace)

    def index(normalized: str) -> str:
        mac = template.copy()
        mac.update((prefix + normalized).encode())
        digest = mac.finalize().hex()
        return keyspace + digest[:width] if keyspace else digest

    return index


def blind_index_candidates(kind: str, normalized: str) -> list[str]:
    """The value's index under every index key in the ring (current first): lookups and duplicate
    checks match any of them, so they stay exact while an index rotation is half done."""
    ring = keys.get_keyring()
    versions = [ring.index_current] + sorted(v for v in ring.index_keys if v != ring.index_current)
    return [blind_index(kind, normalized, version=v) for v in versions]


def index_version(value: str) -> int:
    """Which index key produced a stored blind-index value."""
    if value.startswith("v") and ":" in value[:5]:
        return int(value[1 : value.index(":")])
    return 1


def check_value(kind: str, key: bytes) -> str:
    """A key check value (KCV): proves which key is loaded without revealing it.

    SM4 keys: the SM4-GCM tag and ciphertext of a fixed block under a fixed nonce; index keys: an
    HMAC-SM3 of a fixed label. Both truncated to 16 hex characters.
    """
    if kind == "enc":
        enc = Cipher(algorithms.SM4(key), modes.GCM(b"\x00" * _NONCE)).encryptor()
        enc.authenticate_additional_data(b"jiuzhu key check")
        body = enc.update(b"\x00" * 16) + enc.finalize()
        return (body + enc.tag).hex()[:16]
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(b"jiuzhu key check")
    return mac.finalize().hex()[:16]


def sm3_hex(data: bytes) -> str:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize().hex()


# GB/T 32907-2016 appendix A.1 and GB/T 32905-2016 appendix A.1.
_SM4_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")
_SM4_CT = bytes.fromhex("681edf34d206965e86b3e94f536e4246")
_SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


class SelfTestError(RuntimeError):
    pass


def self_test() -> None:
    enc = Cipher(algorithms.SM4(_SM4_KEY), modes.ECB()).encryptor()
    if enc.update(_SM4_KEY) + enc.finalize() != _SM4_CT:
        raise SelfTestError("SM4 已知答案测试失败")
    if not std_hmac.compare_digest(sm3_hex(b"abc"), _SM3_ABC):
        raise SelfTestError("SM3 已知答案测试失败")
