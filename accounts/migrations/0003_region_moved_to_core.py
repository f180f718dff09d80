"""Region now lives in core (core 0004), on the same table. Point User.region there and drop Region from
this app's state; no database change. Runs after every app's keys have been pointed at core.Region."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_load_regions"),
        ("core", "0004_region_moved_from_accounts"),
        ("audit", "0003_region_in_core"),
        ("cases", "0007_region_in_core"),
        ("funds", "0003_region_in_core"),
        ("monitoring", "0005_region_in_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="user",
                    name="region",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="users",
                                            to="core.region", verbose_name="所属区划"),
                ),
                migrations.DeleteModel(name="Region"),
            ],
            database_operations=[],
        ),
    ]
