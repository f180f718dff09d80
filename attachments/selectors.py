"""Reads of attachments, always within the reader's reach: of the owner object for one owner's files, of the
stored region columns for lists across owners."""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.http import Http404

from accounts.scope import NOTHING, can, deny
from attachments import checklist
from attachments.models import Attachment
from attachments.owners import OWNERS, content_type, model_for, spec_for


def owner_reachable(user, obj: models.Model, actions: tuple[str, ...]) -> bool:
    """Whether one of `actions` lets the user reach the owner object, by the owner's own scope rules
    (its queryset's `restrict`: region, handling township, explicit grants)."""
    manager = type(obj)._default_manager
    for action in actions:
        if can(user, action) and hasattr(manager, "restrict") and manager.restrict(user, action).filter(
                pk=obj.pk).exists():
            return True
    return False


def may_view(user, obj) -> bool:
    spec = spec_for(obj)
    return spec is not None and owner_reachable(user, obj, spec.view)


def may_change(user, obj) -> bool:
    spec = spec_for(obj)
    return spec is not None and owner_reachable(user, obj, spec.change)


def owner_or_404(user, label: str, pk, *, change: bool = False) -> models.Model:
    model = model_for(label)
    spec = spec_for(label)
    if model is None or spec is None:
        raise Http404("未找到")
    try:
        obj = model._default_manager.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到") from None
    if not owner_reachable(user, obj, spec.change if change else spec.view):
        deny(user, what=f"{label}#{pk} 的材料", action=(spec.change if change else spec.view)[0])
    return obj


def visible(user) -> models.QuerySet:
    """Every current attachment the user may read, across owner kinds (each with its own read actions)."""
    q = NOTHING
    for label, spec in OWNERS.items():
        model = model_for(label)
        if model is None:
            continue
        ct = content_type(model())
        for action in spec.view:
            if not can(user, action):
                continue
            ids = Attachment.objects.restrict(user, action).filter(content_type=ct).values("pk")
            q = Q(pk__in=ids) if q == NOTHING else q | Q(pk__in=ids)
    if q == NOTHING:
        return Attachment.objects.none()
    return Attachment.objects.current().filter(q).select_related("uploaded_by", "content_type")


def attachment_or_404(user, pk) -> Attachment:
    """One attachment, when the user may read its owner now (404 otherwise, audited when it exists)."""
    try:
        att = Attachment.objects.select_related("content_type", "uploaded_by").get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到") from None
    owner = att.owner
    if owner is None or not may_view(user, owner):
        deny(user, what=f"材料附件 #{pk}", action="attachment.view")
    return att


def for_owner(owner) -> models.QuerySet:
    """The owner's current attachments and, for a household, its members' (caller has checked reach)."""
    ct = content_type(owner)
    q = Q(content_type=ct, object_id=owner.pk)
    spec = spec_for(owner)
    if spec and spec.checklist:  # an application shows what counts for it: its own and its family file's
        q = checklist.counted_q(owner)
    if spec and spec.children:
        children = getattr(owner, spec.children).all()
        child_ids = list(children.values_list("pk", flat=True))
        if child_ids:
            q |= Q(content_type=content_type(children.model()), object_id__in=child_ids)
    return Attachment.objects.current().filter(q).select_related("uploaded_by", "content_type")


def with_owner_names(rows) -> list[Attachment]:
    """Attach `owner_name` (the owner's str) to each row, one query per owner kind."""
    rows = list(rows)
    by_ct: dict[int, set] = {}
    for row in rows:
        by_ct.setdefault(row.content_type_id, set()).add(row.object_id)
    names = {}
    for ct_id, ids in by_ct.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        for obj in model._default_manager.filter(pk__in=ids):
            names[(ct_id, obj.pk)] = str(obj)
    for row in rows:
        spec = OWNERS.get(row.content_type.app_label + "." + row.content_type.model)
        row.owner_name = names.get((row.content_type_id, row.object_id), "")
        row.owner_kind = spec.label if spec else ""
    return rows
