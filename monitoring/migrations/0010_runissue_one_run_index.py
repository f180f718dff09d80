"""A run's problem rows are found by runissue_run_kind (run, kind, row): the single run index is dropped."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0009_clue_lean_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='runissue',
            name='run',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='issues', to='monitoring.comparisonrun'),
        ),
    ]
