"""Writes of attachments (file, remove) and the audited opening of a file's content."""
from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from attachments import checklist, metadata
from attachments.doctypes import LABELS
from attachments.models import Attachment, AttachmentContent
from attachments.owners import content_type, household_of, place_of, spec_for
from attachments.selectors import may_change, may_view
from attachments.uploads import clean_name, clean_text, sniff
from core import audit

MAX_PER_OWNER = 200
TYPES_TEXT = "PDF、JPEG 或 PNG"


def _region(att: Attachment) -> tuple[str, str, str]:
    return att.county_id or "", att.township_id or "", att.village_id or ""


def validate_file(data: bytes | None) -> str:
    """The file's real type; a ValidationError on the `file` field for empty, oversized or other content."""
    limit = checklist.max_size()
    if not data:
        raise ValidationError({"file": "请选择要上传的文件（文件不能为空）"})
    if len(data) > limit:
        raise ValidationError({"file": f"文件超过 {limit // (1024 * 1024)} MB 上限，请压缩图片或分批扫描后再上传"})
    mime = sniff(data)
    if mime is None:
        raise ValidationError({"file": f"只能上传 {TYPES_TEXT} 文件（按文件内容识别，修改扩展名无效）；"
                                       "Word、HEIC 等格式请先转换为 PDF 或 JPEG"})
    return mime


def attach(*, actor, owner, data: bytes | None, filename: str = "", doc_type: str, title: str = "") -> Attachment:
    spec = spec_for(owner)
    if spec is None:
        raise ValidationError("此类记录不能附加材料")
    if not may_change(actor, owner):
        raise ValidationError("您无权为该记录上传材料（不在您的管辖范围内，或您的角色只能查看）")
    if doc_type not in LABELS:
        raise ValidationError({"doc_type": "请选择材料类别"})
    mime = validate_file(data)
    data = metadata.strip(data, mime)  # no GPS position of the home, no device or time stamps
    title = clean_text(title, limit=100) or LABELS[doc_type]
    ct = content_type(owner)
    with transaction.atomic():
        # one owner's pile stays bounded, counted under a lock on the owner row
        type(owner)._default_manager.select_for_update().filter(pk=owner.pk).exists()
        if Attachment.objects.current().filter(content_type=ct, object_id=owner.pk).count() >= MAX_PER_OWNER:
            raise ValidationError(f"每条记录最多保存 {MAX_PER_OWNER} 份材料，请先撤下重复或作废的材料")
        att = Attachment.objects.create(
            content_type=ct, object_id=owner.pk, household_ref=household_of(owner), doc_type=doc_type,
            title=title, original_name=clean_name(filename), mime=mime, size=len(data),
            sha256=hashlib.sha256(data).hexdigest(), uploaded_by=actor, **place_of(owner))
        body = AttachmentContent(attachment=att)
        body.set_content(data)
        body.save()
        audit.record(actor=actor, action="attachment.add", obj=att, region=_region(att),
                     object_repr=f"{spec.label}「{str(owner)[:80]}」的材料：{att}",
                     after=audit.snapshot(att, ["doc_type", "title", "original_name", "mime", "size", "sha256",
                                                "content_type", "object_id"]))
    return att


def remove(*, actor, attachment: Attachment, reason: str) -> Attachment:
    reason = clean_text(reason, limit=200)
    if not reason:
        raise ValidationError({"reason": "请说明撤下原因（如：重复上传、拍摄不清、非本户材料）"})
    owner = attachment.owner
    if owner is None or not may_change(actor, owner):
        raise ValidationError("您无权撤下该材料")
    with transaction.atomic():
        att = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if att.removed_at is not None:
            raise ValidationError("该材料已被撤下，无需重复操作")
        att.removed_at, att.removed_by, att.removed_reason = timezone.now(), actor, reason
        att.save(update_fields=["removed_at", "removed_by", "removed_reason"])
        audit.record(actor=actor, action="attachment.remove", obj=att, reason=reason, region=_region(att))
    return att


def open_content(*, actor, attachment: Attachment, download: bool = False) -> bytes:
    """The decrypted file, for someone who may read its owner; every opening is on the audit trail."""
    owner = attachment.owner
    if owner is None or not may_view(actor, owner):
        raise ValidationError("您无权查看该材料")
    data = AttachmentContent.objects.get(attachment=attachment).reveal()
    audit.record(actor=actor, action="attachment.download" if download else "attachment.view", obj=attachment,
                 category=audit.Category.ACCESS, region=_region(attachment),
                 after={"size": attachment.size, "removed": attachment.removed_at is not None})
    return data
