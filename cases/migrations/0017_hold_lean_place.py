"""Payment holds: one region foreign key per row, the village (core.models.BigPlaceMixin), held to the township and
county by a check constraint; an index per place level for the open holds of a region. Existing rows are made
consistent with their village first."""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0016_entitlement_lean_place'),
        ('core', '0005_audit_hash_chain'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE cases_paymenthold SET township_id = substr(village_id, 1, 9), county_id = substr(village_id, 1, 6) "
            "WHERE township_id <> substr(village_id, 1, 9) OR county_id <> substr(village_id, 1, 6)",
            migrations.RunSQL.noop),
        migrations.AlterField(
            model_name='paymenthold',
            name='county',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='县（市、区）'),
        ),
        migrations.AlterField(
            model_name='paymenthold',
            name='township',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='乡镇（街道）'),
        ),
        migrations.AlterField(
            model_name='paymenthold',
            name='village',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='村（社区）'),
        ),
        migrations.AddIndex(
            model_name='paymenthold',
            index=models.Index(fields=['township', 'released_at'], name='hold_township_open'),
        ),
        migrations.AddIndex(
            model_name='paymenthold',
            index=models.Index(fields=['village', 'released_at'], name='hold_village_open'),
        ),
        migrations.AddConstraint(
            model_name='paymenthold',
            constraint=models.CheckConstraint(condition=models.Q(('county', django.db.models.functions.text.Left('village', 6)), ('township', django.db.models.functions.text.Left('village', 9))), name='hold_place_follows_village', violation_error_message='乡镇、县（市、区）与所在村（社区）不一致'),
        ),
    ]
