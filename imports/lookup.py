"""The registry side of the household import's duplicate check: which of a file's blind indexes are already
registered, with the fields the plan compares (imports.plan.match_registry)."""
from __future__ import annotations

from django.db import connection, transaction

from cases.models import Person
from core import bulk

CHUNK = 5_000
_REGISTERED_FIELDS = ["id_index", "id", "household_id", "name", "relationship", "disability_type", "disability_grade",
                      "serious_illness", "work_capacity", "village_id"]

# For the one join statement: memory to keep the hash of 280,000 values in one batch (with the default 4 MB it
# was split in 8, both sides written to disk: 2.3 s against a million persons instead of 1.2 s), and the
# registry read by parallel workers while the worker process waits (0.6 s). PostgreSQL would not choose them: it
# expects every one of the file's IDs to be found (a row each through the Gather), where an import of new
# households finds almost none.
_JOIN_SETTINGS = (("work_mem", "'64MB'"), ("parallel_setup_cost", "0"), ("parallel_tuple_cost", "0"))


def registered(indexes: list[str]) -> dict[str, dict]:
    """{blind index: the registered person's fields} for those of `indexes` already in the registry. PostgreSQL:
    the file's indexes are COPYed into a temporary table and joined with the registry in one statement (a hash
    join, where Django's IN of 5,000 parameters at a time took 9–18 s, most of it building the parameters);
    elsewhere the ORM's IN in chunks. See _JOIN_SETTINGS for how the join is run."""
    known: dict[str, dict] = {}
    if connection.vendor != "postgresql":
        for start in range(0, len(indexes), CHUNK):
            for values in Person.objects.filter(id_index__in=indexes[start:start + CHUNK]).values(*_REGISTERED_FIELDS):
                known[values["id_index"]] = values
        return known
    columns = ", ".join(f"p.{Person._meta.get_field(f).column}" for f in _REGISTERED_FIELDS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE import_lookup (id_index varchar(64)) ON COMMIT DROP")
        cursor.cursor.copy_expert("COPY import_lookup FROM STDIN", bulk.line_stream(indexes), size=64 * 1024)
        cursor.execute("ANALYZE import_lookup")
        cursor.execute(";".join(f"SET LOCAL {setting} = {value}" for setting, value in _JOIN_SETTINGS))
        cursor.execute(f"SELECT {columns} FROM import_lookup q JOIN {connection.ops.quote_name(Person._meta.db_table)} p "
                       "ON p.id_index = q.id_index")
        for row in cursor.fetchall():
            known[row[0]] = dict(zip(_REGISTERED_FIELDS, row, strict=True))
        cursor.execute(";".join(f"SET LOCAL {setting} TO DEFAULT" for setting, _ in _JOIN_SETTINGS))
        cursor.execute("DROP TABLE import_lookup")  # inside an outer transaction ON COMMIT comes too late
    return known
