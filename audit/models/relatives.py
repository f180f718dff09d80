"""近亲属备案 (§12): social-assistance staff and village cadres register their close relatives."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.scope import RestrictedQuerySet
from core import idnumbers
from core.names import validate_name
from core.sealing import BlindIndexField, SealedRowMixin


class SealedIdMixin(SealedRowMixin):
    sealed_fields = {"id_cipher": "id_number"}

    id_cipher = models.BinaryField(editable=False)
    id_index = BlindIndexField(db_index=True, editable=False)
    id_masked = models.CharField("身份证号码", max_length=18, editable=False)

    class Meta:
        abstract = True

    def set_id_number(self, raw) -> idnumbers.IdNumber:
        ident = idnumbers.parse(raw)
        sealed = idnumbers.seal(ident, aad=self.aad("id_number"))
        self.id_cipher, self.id_index, self.id_masked = sealed.cipher, sealed.index, sealed.masked
        return ident


class StaffMember(SealedIdMixin):
    class Kind(models.TextChoices):
        CIVIL_AFFAIRS = "civil_affairs", "民政部门工作人员"
        TOWNSHIP = "township", "乡镇（街道）社会救助经办人员"
        VILLAGE_CADRE = "village_cadre", "村（社区）干部"
        OTHER = "other", "其他经办人员"

    name = models.CharField("姓名", max_length=50, validators=[validate_name])
    kind = models.CharField("人员类别", max_length=16, choices=Kind)
    position = models.CharField("职务", max_length=50, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name="系统账号")
    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey("core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    village = models.ForeignKey("core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    workplace = models.CharField("工作单位", max_length=100)
    active = models.BooleanField("在职", default=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(default=timezone.now)
    last_verified_at = models.DateField("最近核实日期", default=timezone.localdate)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "备案人员"
        verbose_name_plural = "备案人员"
        ordering = ["county_id", "name"]
        constraints = [models.UniqueConstraint(fields=["id_index"], name="staff_member_unique_id")]

    def __str__(self):
        return f"{self.name}（{self.workplace}）"

    @property
    def registry_ref(self) -> str:
        return f"staff-{self.pk}"


class StaffRelativeQuerySet(RestrictedQuerySet):
    scope_prefix = "staff__"


class StaffRelative(SealedIdMixin):
    class Relation(models.TextChoices):
        SPOUSE = "spouse", "配偶"
        PARENT = "parent", "父母"
        PARENT_IN_LAW = "parent_in_law", "岳父母/公婆"
        SIBLING = "sibling", "兄弟姐妹"
        CHILD = "child", "子女"
        CHILD_SPOUSE = "child_spouse", "子女配偶"
        GRANDPARENT = "grandparent", "祖父母/外祖父母"
        GRANDCHILD = "grandchild", "孙子女/外孙子女"

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="relatives")
    name = models.CharField("姓名", max_length=50, validators=[validate_name])
    relation = models.CharField("关系", max_length=16, choices=Relation)
    created_at = models.DateTimeField(default=timezone.now)

    objects = StaffRelativeQuerySet.as_manager()

    class Meta:
        verbose_name = "近亲属"
        verbose_name_plural = "近亲属"
        ordering = ["staff_id", "id"]
        constraints = [models.UniqueConstraint(fields=["staff", "id_index"], name="staff_relative_unique")]

    def __str__(self):
        return f"{self.name}（{self.get_relation_display()}）"
