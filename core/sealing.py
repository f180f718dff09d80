"""Rows that hold SM4 ciphertext. `uid` binds each ciphertext to its row (associated data); `key_version`
says which key sealed the row's ciphertexts, so rotation finds the rows still on an old key.

A model declares `sealed_fields = {"<binary column>": "<logical field name>"}`; the key rotation
command re-encrypts every such column of every such model, whatever app it lives in.
"""
import uuid

from django.apps import apps
from django.db import models


class SealedRowMixin(models.Model):
    sealed_fields: dict[str, str] = {}

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key_version = models.PositiveSmallIntegerField(default=1, db_index=True)

    class Meta:
        abstract = True

    def aad(self, field: str) -> str:
        return f"{self._meta.label_lower}.{field}:{self.uid}"


def sealed_models() -> list[type[SealedRowMixin]]:
    return [m for m in apps.get_models() if issubclass(m, SealedRowMixin) and m.sealed_fields]
