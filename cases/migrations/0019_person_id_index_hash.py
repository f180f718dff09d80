"""PostgreSQL: a hash index on the persons' blind index, beside the unique B-tree (issue #22 item 3).

A department's file (50,000 deaths, 200,000 vehicles) is matched by probing the persons' index once per row. A
B-tree probe walks one more level and more cache-missing pages as the registry grows — 10,000,000 persons took
twice the time per probe of 1,000,000 — while a hash index probe reads one bucket page at any size: measured on the
same 10,000,000 persons, 200,000 probes 0.67 → 0.31 s (the B-tree's at 1,000,000: 0.30 s), and at 1,000,000 0.55 →
0.25 s. The planner chooses it for equality probes by itself; uniqueness stays with the B-tree
(person_id_index_unique: hash indexes cannot be unique). 256 MB at 10,000,000 persons (the B-tree: 912 MB).

Not in the model's Meta: Django's HashIndex would be created on SQLite too, which has no hash indexes.
"""
from django.db import migrations

INDEX = "person_id_index_hash"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_person USING hash (id_index)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0018_blind_index_c_collation"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
