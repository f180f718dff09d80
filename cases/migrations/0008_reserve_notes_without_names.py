"""Issue #15: a reserve-fund disbursement's note carried the recipient's name ("张三户先行救助"); it now
carries the case number only."""
from django.db import migrations


def scrub(apps, schema_editor):
    Entry = apps.get_model("cases", "ReserveFundEntry")
    for entry in Entry.objects.filter(kind="disbursement", aid__isnull=False).only("pk", "aid_id"):
        Entry.objects.filter(pk=entry.pk).update(note=f"先行救助 第{entry.aid_id}号")


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_region_in_core")]
    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
