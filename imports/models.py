"""A household import: the uploaded file (sealed), the importer's region, and the job's result — counts, every
problem of the file (capped in storage; the count is exact), the households it created."""
from django.conf import settings
from django.db import models

from accounts.scope import RestrictedQuerySet
from core.jobs import Job
from core.models import Region
from core.sealing import SealedRowMixin
from core.uploads import StoredUploadMixin


class HouseholdImport(StoredUploadMixin, SealedRowMixin, Job):
    class Mode(models.TextChoices):
        CREATE = "create", "新增（已登记的家庭跳过）"
        UPDATE = "update", "更新（已登记的家庭按文件更新所列字段）"

    sealed_fields = {"file_cipher": "file"}

    # the importer's region: a county officer's county, a township's township (village empty for both)
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="县（市、区）")
    township = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                 verbose_name="乡镇（街道）")
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                verbose_name="村（社区）")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                     blank=True, verbose_name="导入人")
    dry_run = models.BooleanField("仅试导入（不写入）", default=False)
    mode = models.CharField("方式", max_length=10, choices=Mode, default=Mode.CREATE)
    rows_valid = models.PositiveIntegerField("校验通过行数", default=0)
    households_created = models.PositiveIntegerField("新增家庭", default=0)
    households_updated = models.PositiveIntegerField("更新家庭", default=0)
    households_skipped = models.PositiveIntegerField("跳过家庭（已登记）", default=0)
    persons_created = models.PositiveIntegerField("新增成员", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    errors = models.JSONField("错误", default=list, blank=True)  # [sheet, row, column, masked value, reason]
    created_ids = models.JSONField("新增家庭编号", default=list, blank=True)
    changes = models.JSONField("更新内容", default=list, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "家庭批量导入"
        verbose_name_plural = "家庭批量导入"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"家庭导入 {self.file_name}"

    @property
    def scope_code(self) -> str:
        return self.village_id or self.township_id or self.county_id
