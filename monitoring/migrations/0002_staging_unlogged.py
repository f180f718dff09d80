from django.db import migrations


def unlogged(apps, schema_editor):
    """The staging table is scratch space emptied after each run: skip the WAL on PostgreSQL."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE monitoring_stagingrow SET UNLOGGED")


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE monitoring_stagingrow SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_comparisons_and_clues")]
    operations = [migrations.RunPython(unlogged, logged)]
