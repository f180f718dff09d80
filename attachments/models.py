"""Attachments: a document or photo filed on any owner object (generic relation), its content sealed at rest.

`Attachment` is the row people see (what, whose, by whom, when); `AttachmentContent` holds the SM4-GCM
ciphertext of the file in its own table, so lists never load file bodies. The region columns are the
owner's place at the time of filing (and, for a case handled by another township, that township too):
scoping is a plain indexed WHERE clause like everywhere else.
"""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import ROLE_LEVEL, Role
from accounts.scope import NOTHING, RestrictedQuerySet, scope_q
from attachments.doctypes import DocType
from core.models import Region
from core.sealing import SealedBytesMixin, SealedRowMixin


class AttachmentQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str):
        q = scope_q(user, action)
        if q == NOTHING:
            return self.none()
        level = ROLE_LEVEL.get(Role(user.role)) if getattr(user, "role", None) else None
        if level == Region.Level.TOWNSHIP:
            q |= Q(handling_township_id=user.region_id)
        elif level == Region.Level.COUNTY:
            q |= Q(handling_county_id=user.region_id)
        return self.filter(q)

    def current(self):
        return self.filter(removed_at__isnull=True)


def _region(name):
    return models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=name)


class Attachment(models.Model):
    class Mime(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG 图片"
        PNG = "image/png", "PNG 图片"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    household_ref = models.PositiveBigIntegerField("家庭档案", null=True, blank=True, db_index=True)
    doc_type = models.CharField("材料类别", max_length=20, choices=DocType)
    title = models.CharField("材料名称", max_length=100)
    original_name = models.CharField("原文件名", max_length=120, blank=True)
    mime = models.CharField("文件类型", max_length=30, choices=Mime)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64, editable=False)
    county = _region("县（市、区）")
    township = _region("乡镇（街道）")
    village = _region("村（社区）")
    handling_township = _region("受理乡镇（街道）")
    handling_county = _region("受理县（市、区）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    removed_at = models.DateTimeField("撤下时间", null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="撤下人")
    removed_reason = models.CharField("撤下原因", max_length=200, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "材料附件"
        verbose_name_plural = "材料附件"
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="attachment_owner"),
            models.Index(fields=["township", "-uploaded_at"], name="attachment_township_recent"),
            models.Index(fields=["county", "-uploaded_at"], name="attachment_county_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty"),
            models.CheckConstraint(condition=Q(removed_at__isnull=True) | ~Q(removed_reason=""),
                                   name="attachment_removal_has_reason"),
        ]

    def __str__(self):
        return f"{self.get_doc_type_display()}：{self.title}"

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(self.mime, "bin")


class AttachmentContent(SealedBytesMixin, SealedRowMixin):
    """The file's bytes, SM4-GCM sealed with the row's uid as associated data (a body copied to another row
    does not open). Key rotation re-seals it like every sealed column, a few rows per batch."""

    sealed_fields = {"content_cipher": "content"}
    rotation_batch = 20

    attachment = models.OneToOneField(Attachment, on_delete=models.CASCADE, related_name="content")
    content_cipher = models.BinaryField(editable=False)

    class Meta:
        verbose_name = "材料内容（密文）"
        verbose_name_plural = "材料内容（密文）"

    def set_content(self, data: bytes) -> None:
        self.seal_column("content_cipher", data)

    def reveal(self) -> bytes:
        return self.unseal_column("content_cipher") or b""
