"""Rows that hold SM4 ciphertext. `uid` binds each ciphertext to its row (associated data); `key_version`
says which key sealed the row's ciphertexts, so rotation finds the rows still on an old key.

A model declares
- `sealed_fields = {"<binary column>": "<logical field name>"}`: the ciphertext columns; the logical
  name is the one in the row's associated data (`row.aad(logical)`);
- optionally `indexed_fields = {"<blind-index column>": ("<binary column>", "<index kind>")}`: blind
  indexes computed from the decrypted value of a sealed column (`crypto.blind_index(kind, value)`;
  the stored plaintext must already be normalised).

The key rotation command (`manage.py rotate_keys`) re-encrypts every sealed column and recomputes
every declared blind index of every such model, whatever app it lives in.

`key_version` is kept equal to the OLDEST key version among the row's ciphertexts by `save()` (so a
row whose phone was re-entered but whose other columns are still on an old key is still found by
rotation). `bulk_create` and `update()` bypass save(): their rows keep the default 1, which at worst
makes rotation look at them once more — never the reverse.
"""
import uuid

from django.apps import apps
from django.db import models

from core import crypto, pii


class BlindIndexField(models.CharField):
    """A blind-index column: 64 hex characters (`crypto.INDEX_LENGTH`), compared byte by byte.

    On PostgreSQL the column has the "C" collation: an index value is hex, so every collation sorts it the same,
    but a B-tree built under the database's default (C.UTF-8 here, zh_CN.UTF-8 in a Chinese install) calls the
    C library's strcoll for each comparison, and one probe of a 10,000,000-entry index makes about 23 of them.
    Measured on 1,000,000 persons: a comparison's 200,000 probes 0.38 → 0.30 s. Every blind-index column has it,
    so joins and `IN (subquery)` between them compare in "C" and use the indexes; a staging table built in raw
    SQL declares its column with `INDEX_COLUMN_SQL`. Other databases compare bytes already (SQLite BINARY)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", crypto.INDEX_LENGTH)
        super().__init__(*args, **kwargs)

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


INDEX_COLUMN_SQL = f'varchar({crypto.INDEX_LENGTH}) COLLATE "C"'  # PostgreSQL: a raw staging table's index column


class SealedRowMixin(models.Model):
    sealed_fields: dict[str, str] = {}
    indexed_fields: dict[str, tuple[str, str]] = {}

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key_version = models.PositiveSmallIntegerField(default=1, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Storage metadata only (which key sealed this row), not business logic.
        versions = self.sealed_versions()
        if versions:
            self.key_version = min(versions)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.sealed_fields):
            kwargs["update_fields"] = set(update_fields) | {"key_version"}
        super().save(*args, **kwargs)

    def aad(self, field: str) -> str:
        return f"{self._meta.label_lower}.{field}:{self.uid}"

    # --- generic access used by rotation and the plaintext scan ------------------------------------
    def sealed_versions(self) -> list[int]:
        return [crypto.key_version(blob) for column in self.sealed_fields
                if (blob := getattr(self, column)) is not None and len(bytes(blob))]

    def unseal_column(self, column: str) -> str | None:
        blob = getattr(self, column)
        if blob is None or not len(bytes(blob)):
            return None
        return crypto.decrypt(blob, aad=self.aad(self.sealed_fields[column]))

    def seal_column(self, column: str, plaintext: str | None, *, version: int | None = None) -> None:
        setattr(self, column, None if plaintext is None
                else crypto.encrypt(plaintext, aad=self.aad(self.sealed_fields[column]), version=version))


class SealedBytesMixin:
    """For a SealedRowMixin model whose sealed columns hold bytes (files, attachments), not text: put before
    SealedRowMixin in the bases. The rotation calls these two with what the other returns, so whatever bytes
    a column holds are re-sealed unchanged."""

    def unseal_column(self, column: str) -> bytes | None:
        blob = getattr(self, column)
        if blob is None or not len(bytes(blob)):
            return None
        return crypto.decrypt_bytes(blob, aad=self.aad(self.sealed_fields[column]))

    def seal_column(self, column: str, plaintext: bytes | None, *, version: int | None = None) -> None:
        setattr(self, column, None if plaintext is None
                else crypto.encrypt_bytes(plaintext, aad=self.aad(self.sealed_fields[column]), version=version))


def sealed_models() -> list[type[SealedRowMixin]]:
    return [m for m in apps.get_models() if issubclass(m, SealedRowMixin) and m.sealed_fields]


class SealedPhoneMixin:
    """`set_phone` / `reveal_phone` for a SealedRowMixin model with `phone_cipher` and `phone_masked`
    columns (and `"phone_cipher": "phone"` in its sealed_fields)."""

    def set_phone(self, raw: str) -> None:
        if not raw:
            self.phone_cipher, self.phone_masked = None, ""
            return
        value = pii.normalize_phone(raw)
        self.phone_cipher = pii.seal(value, aad=self.aad("phone"))
        self.phone_masked = pii.mask_phone(value)

    def reveal_phone(self) -> str:
        return pii.unseal(self.phone_cipher, aad=self.aad("phone")) if self.phone_cipher else ""
