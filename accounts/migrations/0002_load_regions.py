"""Load Jiaozuo's 2,147 real administrative divisions (core/data/jiaozuo-divisions.csv; the model has lived in
core since core 0004, on the same table)."""
import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parents[2] / "core" / "data" / "jiaozuo-divisions.csv"


def load(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    with CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    known = {r["code"] for r in rows}
    Region.objects.bulk_create(
        [
            Region(
                code=r["code"], name=r["name"], level=r["level"],
                parent_id=r["parent_code"] if r["parent_code"] in known else None,
            )
            for r in rows
        ],
        batch_size=1000,
    )


def unload(apps, schema_editor):
    apps.get_model("accounts", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
