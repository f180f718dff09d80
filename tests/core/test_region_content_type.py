"""core 0004 moves Region's content type from accounts to core (the model moved, the table did not)."""
import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

pytestmark = pytest.mark.django_db
migration = importlib.import_module("core.migrations.0004_region_moved_from_accounts")


class _Editor:
    connection = connection


def test_the_old_content_type_is_renamed_when_core_has_none():
    ContentType.objects.filter(model="region").delete()
    old = ContentType.objects.create(app_label="accounts", model="region")
    Permission.objects.create(content_type=old, codename="view_region", name="Can view region")
    migration.rename_content_type(apps, _Editor())
    assert set(ContentType.objects.filter(model="region").values_list("app_label", flat=True)) == {"core"}
    assert Permission.objects.get(codename="view_region").content_type.app_label == "core"


def test_both_content_types_merge_into_core_and_keep_their_permissions():
    new = ContentType.objects.get_or_create(app_label="core", model="region")[0]
    Permission.objects.get_or_create(content_type=new, codename="view_region", defaults={"name": "Can view"})
    old = ContentType.objects.create(app_label="accounts", model="region")
    Permission.objects.create(content_type=old, codename="view_region", name="Can view region")
    Permission.objects.create(content_type=old, codename="audit_region", name="Can audit region")
    migration.rename_content_type(apps, _Editor())
    assert not ContentType.objects.filter(app_label="accounts", model="region").exists()
    assert set(Permission.objects.filter(content_type=new).values_list("codename", flat=True)) >= {
        "view_region", "audit_region"}
    migration.restore_content_type(apps, _Editor())  # and back, for a rollback
    assert ContentType.objects.get(model="region").app_label == "accounts"
