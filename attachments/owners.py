"""Which objects may carry attachments, and who may read or add them. Named by model label, never imported:
this app sits beside `cases` and imports neither it nor the apps above. Another app adds its own owner by
adding a line here (e.g. the home visits of active discovery)."""
from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import NoReverseMatch, reverse

from accounts.scope import Action


@dataclass(frozen=True)
class Owner:
    label: str  # what the owner is called on the page ("家庭")
    view: tuple[str, ...]  # actions of which one reads its attachments
    change: tuple[str, ...]  # actions of which one adds or removes them
    children: str = ""  # related name of objects whose documents are filed with this one (a household's members)
    checklist: bool = False  # an application: its kind's document checklist applies
    family_file: bool = False  # its documents count for every application of its household (ID card, photos)
    page: str = ""  # url name of the owner's own page
    page_pk: str = "pk"  # the owner's attribute that page takes

    def url(self, obj) -> str:
        if not self.page:
            return ""
        try:
            return reverse(self.page, args=[getattr(obj, self.page_pk)])
        except NoReverseMatch:
            return ""


OWNERS: dict[str, Owner] = {
    "cases.household": Owner("家庭", (Action.CASE_VIEW,), (Action.CASE_CHANGE,), children="members",
                             family_file=True, page="cases:household_detail"),
    "cases.person": Owner("家庭成员", (Action.CASE_VIEW,), (Action.CASE_CHANGE,), page="cases:household_detail",
                          page_pk="household_id", family_file=True),
    "cases.application": Owner("救助申请", (Action.CASE_VIEW,), (Action.CASE_CHANGE, Action.CASE_PROCESS),
                               checklist=True, page="cases:application_detail"),
    "discovery.visit": Owner("巡查走访", (Action.CASE_VIEW,), (Action.DISCOVERY_VISIT,), family_file=True,
                             page="cases:household_detail", page_pk="household_id"),
    "audit.complaint": Owner("信访投诉", (Action.COMPLAINT_HANDLE, Action.SUPERVISION_VIEW),
                             (Action.COMPLAINT_HANDLE,), page="audit:complaint_detail"),
}


def spec_for(obj_or_label) -> Owner | None:
    label = obj_or_label if isinstance(obj_or_label, str) else obj_or_label._meta.label_lower
    return OWNERS.get(label)


def model_for(label: str) -> type[models.Model] | None:
    if label not in OWNERS:
        return None
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def content_type(obj: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(type(obj))


def family_file_types() -> list[ContentType]:
    return [ContentType.objects.get_for_model(model) for label, spec in OWNERS.items()
            if spec.family_file and (model := model_for(label)) is not None]


def household_of(obj: models.Model) -> int | None:
    """The family file an object belongs to (the household's own pk for a household)."""
    if obj._meta.label_lower == "cases.household":
        return obj.pk
    return getattr(obj, "household_id", None)


def place_of(obj: models.Model) -> dict:
    """The region columns of the attachment: the owner's place, and for cases handled elsewhere (an
    application via the residence township) the handling township and county too."""
    return {
        "county_id": getattr(obj, "county_id", None) or None,
        "township_id": getattr(obj, "township_id", None) or None,
        "village_id": getattr(obj, "village_id", None) or None,
        "handling_township_id": getattr(obj, "handling_township_id", None) or None,
        "handling_county_id": getattr(obj, "handling_county_id", None) or None,
    }
