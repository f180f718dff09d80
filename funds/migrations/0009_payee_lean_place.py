"""Payee accounts: plain place and card indexes (no LIKE twins), one region foreign key held to its township and
county by a check constraint (as households and members, cases 0015)."""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


def fix_places(apps, schema_editor):
    """A payee account's township and county are its village's prefixes (as everywhere a place is set)."""
    schema_editor.execute(
        "UPDATE funds_payeeaccount SET township_id = substr(village_id, 1, 9), county_id = substr(village_id, 1, 6) "
        "WHERE township_id <> substr(village_id, 1, 9) OR county_id <> substr(village_id, 1, 6)")


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0015_place_follows_household'),
        ('core', '0005_audit_hash_chain'),
        ('funds', '0008_paid_lines_numbered_first'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(fix_places, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='payeeaccount',
            name='card_index',
            field=models.CharField(editable=False, max_length=64, verbose_name='卡号盲索引'),
        ),
        migrations.AlterField(
            model_name='payeeaccount',
            name='county',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='县（市、区）'),
        ),
        migrations.AlterField(
            model_name='payeeaccount',
            name='township',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='乡镇（街道）'),
        ),
        migrations.AlterField(
            model_name='payeeaccount',
            name='village',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='村（社区）'),
        ),
        migrations.AddIndex(
            model_name='payeeaccount',
            index=models.Index(fields=['county'], name='payee_county'),
        ),
        migrations.AddIndex(
            model_name='payeeaccount',
            index=models.Index(fields=['township'], name='payee_township'),
        ),
        migrations.AddIndex(
            model_name='payeeaccount',
            index=models.Index(fields=['village'], name='payee_village'),
        ),
        migrations.AddIndex(
            model_name='payeeaccount',
            index=models.Index(fields=['card_index'], name='payee_card_index'),
        ),
        migrations.AddConstraint(
            model_name='payeeaccount',
            constraint=models.CheckConstraint(condition=models.Q(('county', django.db.models.functions.text.Left('village', 6)), ('township', django.db.models.functions.text.Left('village', 9))), name='payee_place_follows_village', violation_error_message='乡镇、县（市、区）与所在村（社区）不一致'),
        ),
    ]
