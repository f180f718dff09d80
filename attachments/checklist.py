"""The document checklist of each kind of application (city parameters) and what is still missing.

A document counts for an application when it is filed on the application itself or in its family file (on
the household or one of its members, e.g. the ID card), never when it belongs to another application."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q

from attachments.doctypes import LABELS
from attachments.models import Attachment
from attachments.owners import content_type, family_file_types, household_of, spec_for
from core import params

KINDS = {"dibao": "低保", "tekun": "特困供养", "temporary_aid": "临时救助"}
DEFAULTS = {
    "dibao": "application_form,id_card,hukou,income,authorization,visit_photo",
    "tekun": "application_form,id_card,hukou,authorization,visit_photo",
    "temporary_aid": "application_form,id_card,medical",
}
MAX_SIZE_KEY = "attachments.max_size_mb"


def checklist_key(kind: str) -> str:
    return f"attachments.checklist_{kind}"


def _doc_codes(value: str) -> None:
    for code in filter(None, (c.strip() for c in value.split(","))):
        if code not in LABELS:
            raise ValidationError(f"“{code}”不是有效的材料类别代码，可选：{'、'.join(LABELS)}")


def register_params() -> None:
    params.AREAS.setdefault("attachments", "申请材料与附件")
    params.REGISTRY.setdefault(MAX_SIZE_KEY, params.Param(10, int, "单个材料文件大小上限", "MB", 1, 50))
    for kind, label in KINDS.items():
        params.REGISTRY.setdefault(checklist_key(kind), params.Param(
            DEFAULTS[kind], str, f"{label}申请须提交的材料", "材料类别代码",
            help="英文逗号分隔：" + "，".join(f"{c} {lbl}" for c, lbl in LABELS.items()), check=_doc_codes))


def required(kind: str) -> list[str]:
    key = checklist_key(kind)
    if key not in params.REGISTRY:
        return []
    return [c for c in (x.strip() for x in str(params.get(key)).split(",")) if c in LABELS]


def max_size() -> int:
    return int(params.get(MAX_SIZE_KEY)) * 1024 * 1024


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    count: int

    @property
    def done(self) -> bool:
        return self.count > 0


def counted_q(application) -> Q:
    """Attachments that count for `application`: its own and those of its family file (not other cases')."""
    q = Q(content_type=content_type(application), object_id=application.pk)
    household = household_of(application)
    if household:
        q |= Q(household_ref=household, content_type__in=family_file_types())
    return q


def status(application) -> list[Item]:
    spec = spec_for(application)
    if spec is None or not spec.checklist:
        return []
    codes = required(getattr(application, "kind", ""))
    present: dict[str, int] = {}
    for doc_type in Attachment.objects.current().filter(counted_q(application)).values_list("doc_type", flat=True):
        present[doc_type] = present.get(doc_type, 0) + 1
    return [Item(code, LABELS[code], present.get(code, 0)) for code in codes]


def missing(application) -> list[str]:
    return [item.label for item in status(application) if not item.done]
