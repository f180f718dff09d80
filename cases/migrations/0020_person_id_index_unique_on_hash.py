"""PostgreSQL: the persons' blind index is kept unique by an exclusion constraint on a hash index, which also serves
the probes, instead of a unique B-tree beside the hash index of 0019 (issue #22 item 3).

The blind index is a keyed hash: its values fall anywhere. A county's import of 280,000 members touched nearly every
leaf page of the unique B-tree even written in index order (912 MB at 10,000,000 persons, 92 MB at 1,000,000),
and every touched page is written whole to the WAL after a checkpoint; that B-tree was the largest part of what
grows in the import from a city to a province. Uniqueness now comes from the hash index the probes already used
(`EXCLUDE USING hash (id_index WITH =)`: a second row with the same value is refused, by concurrent transactions
too, as an IntegrityError like the unique index's): one index of 256 MB instead of two of 1,168 MB. Measured in
one transaction on the same file of 100,000 households (280,106 members), writing and key checks, three runs
each: at 10,000,000 persons 17.5–20.1 s → 13.7–13.9 s, at 1,000,000 12.0–12.3 s → 10.2–11.0 s (bench/README).

The constraint keeps its name (Django's state still holds the UniqueConstraint `person_id_index_unique`, which is
what SQLite has). Building it reads the whole table: about a minute at 10,000,000 persons.
"""
from django.db import migrations

NAME = "person_id_index_unique"
HASH = "person_id_index_hash"


def to_hash(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE cases_person DROP CONSTRAINT {NAME}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {HASH}")
    schema_editor.execute(f"ALTER TABLE cases_person ADD CONSTRAINT {NAME} EXCLUDE USING hash (id_index WITH =)")


def to_btree(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE cases_person DROP CONSTRAINT {NAME}")
    schema_editor.execute(f"ALTER TABLE cases_person ADD CONSTRAINT {NAME} UNIQUE (id_index)")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {HASH} ON cases_person USING hash (id_index)")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0019_person_id_index_hash"),
    ]

    operations = [migrations.RunPython(to_hash, to_btree, elidable=False)]
