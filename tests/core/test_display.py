"""Issue #3 §4: IDs and phones masked everywhere; full values only after a reason, audited with the
field name; every view of a household with a child under 14 audited; exports audited."""
import pytest

from core import audit
from core.models import AuditEvent


@pytest.mark.django_db
def test_pages_and_api_show_only_masked_numbers(client, users, seeded):
    """§4 household list/detail pages and every API serializer show masked IDs and phones only."""
    item = seeded[0]
    h = item["household"]
    client.force_login(users["heying_cun"])
    bodies = [client.get(url).content.decode() for url in (
        "/households/", f"/households/{h.pk}/", "/api/v1/households/", f"/api/v1/households/{h.pk}/",
        "/api/v1/persons/", f"/api/v1/persons/{h.members.first().pk}/")]
    body = "\n".join(bodies)
    for raw in item["ids"]:
        assert raw not in body
        assert f"{raw[:6]}********{raw[-4:]}" in body
    assert item["phone"] not in body and "138****" in body


@pytest.mark.django_db
def test_phone_reveal_needs_a_reason_and_is_audited_with_the_field(client, users, seeded):
    """§4 full phone number only after a reason, audited as pii.reveal with field=phone."""
    h = seeded[0]["household"]
    client.force_login(users["heying_cun"])
    response = client.post(f"/households/{h.pk}/phone/reveal/", {"reason": ""})
    assert seeded[0]["phone"] not in response.content.decode()
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()
    response = client.post(f"/households/{h.pk}/phone/reveal/", {"reason": "电话通知复核"})
    assert seeded[0]["phone"] in response.content.decode() and response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="pii.reveal")
    assert event.after == {"field": "phone"} and event.reason == "电话通知复核"
    assert event.category == AuditEvent.Category.ACCESS and event.actor_username == "heying_cun"


@pytest.mark.django_db
def test_roles_without_pii_cannot_reveal(client, users, seeded):
    """§4 the reveal is for roles that need it: the city administrator sees households but not numbers."""
    h = seeded[0]["household"]
    client.force_login(users["shi_admin"])
    assert client.get(f"/households/{h.pk}/").status_code == 200
    assert client.post(f"/households/{h.pk}/phone/reveal/", {"reason": "看看"}).status_code == 404
    person = h.members.first()
    assert client.post(f"/persons/{person.pk}/reveal/", {"reason": "看看"}).status_code == 404
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


@pytest.mark.django_db
def test_every_view_of_a_household_with_a_child_under_14_is_audited(client, users, seeded):
    """§4 records of children under 14 are marked and every view is audited (pii.view_minor)."""
    h = seeded[0]["household"]
    client.force_login(users["heying_cun"])
    body = client.get(f"/households/{h.pk}/").content.decode()
    assert "未满14周岁" in body
    client.get(f"/api/v1/households/{h.pk}/")
    events = AuditEvent.objects.filter(action="pii.view_minor", object_id=str(h.pk))
    assert events.count() == 2 and events.first().category == AuditEvent.Category.ACCESS


@pytest.mark.django_db
def test_household_without_minor_view_not_audited(client, users):
    from tests.factories import PersonFactory

    person = PersonFactory(household__village="410823101200")
    client.force_login(users["heying_cun"])
    client.get(f"/households/{person.household_id}/")
    assert not AuditEvent.objects.filter(action="pii.view_minor").exists()


@pytest.mark.django_db
def test_record_export_audits_who_what_filter_rows(users):
    """§4 every export is audited: who, what filter, how many rows (core.audit.record_export)."""
    event = audit.record_export(actor=users["wuzhi_minzheng"], what="2026年11月低保发放银行文件",
                                filters={"month": "2026-11", "county": "410823"}, rows=1234, fmt="xlsx",
                                full_numbers=True)
    event.refresh_from_db()
    assert event.action == "export" and event.actor_username == "wuzhi_minzheng"
    assert event.after["rows"] == 1234 and event.after["filters"] == {"month": "2026-11", "county": "410823"}
    assert event.after["full_numbers"] is True and event.county_code == "410823"
    # county officers read their county's exports in the trail; the city-level admin's have no county
    from accounts.selectors import audit_trail_for

    assert event in audit_trail_for(users["wuzhi_minzheng"])
    assert event not in audit_trail_for(users["wenxian_minzheng"])


def _project_serializers():
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps
    from rest_framework import serializers

    for config in apps.get_app_configs():
        if find_spec(f"{config.name}.api") is not None and not config.name.startswith(("django", "rest_")):
            import_module(f"{config.name}.api")
    stack, seen = [serializers.BaseSerializer], set()
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub not in seen and sub.__module__.split(".")[0] in {c.name for c in apps.get_app_configs()}:
                seen.add(sub)
                yield sub


@pytest.mark.django_db
def test_no_api_serializer_outputs_a_full_number_ciphertext_or_index():
    """§4 every API serializer of every app: ID/card/phone numbers are write-only; ciphertext and blind
    index columns never appear in output (masked columns do)."""
    import re

    from django.db import models

    sensitive = re.compile(r"^(id_number|phone|mobile|card_number|account_number|bank_account|card)$")
    offenders, checked = [], 0
    for cls in _project_serializers():
        try:
            fields = cls().fields
        except Exception:  # serializers that need arguments are covered through their subclasses
            continue
        checked += 1
        model = getattr(getattr(cls, "Meta", None), "model", None)
        for name, field in fields.items():
            if field.write_only:
                continue
            source = field.source if isinstance(field.source, str) else name
            model_field = None
            if model is not None:
                try:
                    model_field = model._meta.get_field(source)
                except Exception:
                    pass
            if sensitive.match(name) or name.endswith(("_cipher", "_index")) or isinstance(
                    model_field, models.BinaryField):
                offenders.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert checked >= 5
    assert offenders == []


@pytest.mark.django_db
def test_api_person_views_of_children_under_14_are_audited(client, users, seeded):
    """§4 the persons API (list and detail) audits every view of a child's record."""
    child = next(p for p in seeded[0]["household"].members.all() if p.is_minor_under_14)
    client.force_login(users["heying_cun"])
    client.get(f"/api/v1/persons/{child.pk}/")
    assert AuditEvent.objects.filter(action="pii.view_minor", object_id=str(child.household_id)).count() == 1
    client.get("/api/v1/persons/")
    assert AuditEvent.objects.filter(action="pii.view_minor").count() == 1 + len(seeded)
