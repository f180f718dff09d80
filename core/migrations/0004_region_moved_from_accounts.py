"""The administrative divisions move down from accounts to core, on the same table (accounts_region).

State only: no table is created, renamed or copied. The content type is renamed so that anything that points
at it (permissions, grants) follows the model. accounts 0003 then drops Region from its own state once every
app's foreign keys point here.
"""
import django.db.models.deletion
from django.db import migrations, models


def _move_content_type(apps, schema_editor, source: str, target: str) -> None:
    """Point Region's content type at `target`. Where both exist (a content type made before this migration
    ran), permissions move to the target's and the stale source row goes; Region is never granted per object
    (geography is scope, not grants), so nothing else points at it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    old = ContentType.objects.using(db).filter(app_label=source, model="region").first()
    if old is None:
        return
    new = ContentType.objects.using(db).filter(app_label=target, model="region").first()
    if new is None:
        old.app_label = target
        old.save(update_fields=["app_label"])
        return
    taken = set(Permission.objects.using(db).filter(content_type=new).values_list("codename", flat=True))
    Permission.objects.using(db).filter(content_type=old).exclude(codename__in=taken).update(content_type=new)
    old.delete()


def rename_content_type(apps, schema_editor):
    _move_content_type(apps, schema_editor, "accounts", "core")


def restore_content_type(apps, schema_editor):
    _move_content_type(apps, schema_editor, "core", "accounts")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("accounts", "0002_load_regions"),
        ("core", "0003_key_checks_and_village_trail_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Region",
                    fields=[
                        ("code", models.CharField(max_length=12, primary_key=True, serialize=False,
                                                  verbose_name="区划代码")),
                        ("name", models.CharField(max_length=50, verbose_name="名称")),
                        ("level", models.CharField(
                            choices=[("city", "市"), ("county", "县（市、区）"), ("township", "乡镇（街道）"),
                                     ("village", "村（社区）")],
                            db_index=True, max_length=10, verbose_name="层级")),
                        ("parent", models.ForeignKey(blank=True, null=True,
                                                     on_delete=django.db.models.deletion.PROTECT,
                                                     related_name="children", to="core.region")),
                    ],
                    options={
                        "verbose_name": "行政区划",
                        "verbose_name_plural": "行政区划",
                        "ordering": ["code"],
                        "db_table": "accounts_region",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
