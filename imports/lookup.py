"""The registry side of the household import's duplicate check: which of a file's blind indexes are already
registered, with the fields the plan compares (imports.plan.match_registry)."""
from __future__ import annotations

from django.db import connection, transaction

from cases.models import Person
from core import bulk
from core.sealing import INDEX_COLUMN_SQL

CHUNK = 5_000
_REGISTERED_FIELDS = ["id_index", "id", "household_id", "name", "relationship", "disability_type", "disability_grade",
                      "serious_illness", "work_capacity", "village_id"]

# How the one join statement runs. PostgreSQL cannot know that an import of new households finds almost none of
# its IDs (it expects a row each), so the plan is chosen here, as the comparison's staging does:
# - a file of more than a tenth of the registry (a county's caseload in a city): one hash join, its table kept in
#   memory (with the default 4 MB work_mem it was split in 8 batches on disk: 2.3 s against a million persons
#   instead of 1.2 s) and the registry read by parallel workers while the worker process waits (0.6 s);
# - a smaller one (the same file at province scale): the file's IDs probed one by one in the registry's hash index
#   (the unique one since cases 0020; 140,000 IDs against 10,000,000 persons took 0.55 s by the sorted B-tree it
#   replaced, where the hash join read the whole table in 4 s); JIT off, as its estimated cost passes the JIT
#   thresholds and compiling would take longer.
_HASH_SETTINGS = (("work_mem", "'64MB'"), ("parallel_setup_cost", "0"), ("parallel_tuple_cost", "0"))
_PROBE_SETTINGS = (("work_mem", "'64MB'"), ("enable_hashjoin", "off"), ("enable_mergejoin", "off"),
                   ("max_parallel_workers_per_gather", "0"), ("jit", "off"))


def registered(indexes: list[str]) -> dict[str, dict]:
    """{blind index: the registered person's fields} for those of `indexes` already in the registry. PostgreSQL:
    the file's indexes are COPYed into a temporary table and joined with the registry in one statement (a hash
    join, where Django's IN of 5,000 parameters at a time took 9–18 s, most of it building the parameters);
    elsewhere the ORM's IN in chunks. See _HASH_SETTINGS for how the join is run."""
    known: dict[str, dict] = {}
    if connection.vendor != "postgresql":
        for start in range(0, len(indexes), CHUNK):
            for values in Person.objects.filter(id_index__in=indexes[start:start + CHUNK]).values(*_REGISTERED_FIELDS):
                known[values["id_index"]] = values
        return known
    columns = ", ".join(f"p.{Person._meta.get_field(f).column}" for f in _REGISTERED_FIELDS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE import_lookup (id_index {INDEX_COLUMN_SQL}) ON COMMIT DROP")
        cursor.cursor.copy_expert("COPY import_lookup FROM STDIN", bulk.line_stream(indexes), size=64 * 1024)
        cursor.execute("ANALYZE import_lookup")
        table = connection.ops.quote_name(Person._meta.db_table)
        probe = _probe(cursor, len(indexes))
        settings = _PROBE_SETTINGS if probe else _HASH_SETTINGS
        source = "(SELECT id_index FROM import_lookup ORDER BY id_index)" if probe else "import_lookup"
        cursor.execute(";".join(f"SET LOCAL {setting} = {value}" for setting, value in settings))
        cursor.execute(f"SELECT {columns} FROM {source} q JOIN {table} p ON p.id_index = q.id_index")
        for row in cursor.fetchall():
            known[row[0]] = dict(zip(_REGISTERED_FIELDS, row, strict=True))
        cursor.execute(";".join(f"SET LOCAL {setting} TO DEFAULT" for setting, _ in settings))
        cursor.execute("DROP TABLE import_lookup")  # inside an outer transaction ON COMMIT comes too late
    return known


def _probe(cursor, count: int) -> bool:
    """Whether `count` IDs are few enough against the registry (its planner estimate) to be probed one by one."""
    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Person._meta.db_table])
    return count * 10 < (cursor.fetchone() or [0])[0]
