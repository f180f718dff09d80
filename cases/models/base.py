from django.db import models

from accounts.scope import RestrictedQuerySet
from core.sealing import SealedRowMixin


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




__all__ = ["PlaceMixin", "SealedRowMixin", "RestrictedQuerySet"]
