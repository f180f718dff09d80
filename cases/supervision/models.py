"""Supervision facts attached to households: payment holds and registered close relatives of staff (§12)."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.scope import RestrictedQuerySet
from cases.households.models import Household, Person
from core.models import BigPlaceMixin, place_follows_village
from core.names import validate_name
from core.sealing import BlindIndexField


class PaymentHold(BigPlaceMixin):
    """Stops a household's (or one person's) payment from the next batch until released.

    Deaths reported by data comparison put a hold at once (§1); the township confirms and ends the
    entitlement. Payment batches exclude held lines and show the reason. A comparison run places hundreds at
    once: one region foreign key per row (BigPlaceMixin) and the indexes its queries use."""

    class Kind(models.TextChoices):
        DEATH = "death", "疑似死亡"
        SUSPENSION = "suspension", "暂停发放"
        OTHER = "other", "其他"

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="holds")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="holds")
    kind = models.CharField("原因类别", max_length=12, choices=Kind)
    reason = models.CharField("原因", max_length=200)
    source = models.CharField("来源", max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)
    released_reason = models.CharField("解除原因", max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "暂停发放"
        verbose_name_plural = "暂停发放"
        indexes = [models.Index(fields=["county", "released_at"], name="hold_county_open"),
                   models.Index(fields=["township", "released_at"], name="hold_township_open"),
                   models.Index(fields=["village", "released_at"], name="hold_village_open")]
        constraints = [place_follows_village("hold_place_follows_village")]

    def __str__(self):
        return f"{self.household} {self.get_kind_display()}"


class RelativeLink(models.Model):
    """The cases floor's copy of the close-relative registry (§12): which ID numbers (blind index) are close
    relatives of which staff member or village cadre. Written only by the supervision app through
    `cases.supervision.services.relative_links_replace`; read by case workflows to flag cases and enforce recusal.
    """

    id_index = BlindIndexField(db_index=True)
    registry_ref = models.CharField("备案编号", max_length=32, db_index=True)
    staff_name = models.CharField("工作人员/村干部", max_length=50, validators=[validate_name])
    staff_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    relation = models.CharField("关系", max_length=20)
    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "近亲属备案索引"
        verbose_name_plural = "近亲属备案索引"
        constraints = [models.UniqueConstraint(fields=["registry_ref", "id_index"], name="relative_link_unique")]
