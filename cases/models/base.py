import uuid

from django.db import models

from accounts.scope import RestrictedQuerySet


class PlaceMixin(models.Model):
    """A row that belongs to a village and carries its township and county for scoping."""

    county = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name="县（市、区）")
    township = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name="乡镇（街道）")
    village = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")

    class Meta:
        abstract = True

    def place_from_village(self, village) -> None:
        self.village = village
        self.township_id = village.code[:9]
        self.county_id = village.code[:6]


class SealedRowMixin(models.Model):
    """Rows holding SM4 ciphertext: `uid` binds each ciphertext to its row, `key_version` drives rotation."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key_version = models.PositiveSmallIntegerField(default=1, db_index=True)

    class Meta:
        abstract = True

    def aad(self, field: str) -> str:
        return f"{self._meta.label_lower}.{field}:{self.uid}"


__all__ = ["PlaceMixin", "SealedRowMixin", "RestrictedQuerySet"]
