from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.scope import RestrictedQuerySet


class RelativeLink(models.Model):
    """The cases floor's copy of the close-relative registry (§12): which ID numbers (blind index) are close
    relatives of which staff member or village cadre. Written only by the supervision app through
    `cases.services.relative_links_replace`; read by case workflows to flag cases and enforce recusal.
    """

    id_index = models.CharField(max_length=64, db_index=True)
    registry_ref = models.CharField("备案编号", max_length=32, db_index=True)
    staff_name = models.CharField("工作人员/村干部", max_length=50)
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
