"""Clues keep the indexes their queries use and one region foreign key per row (BigPlaceMixin).

A comparison run writes thousands of clues in one COPY; each row paid for twenty indexes and eight foreign-key
checks. Removed: the LIKE twins and single-column indexes that a (place, status, due date) index or the natural
key (kind, …) already serves, and the county and township foreign keys — the village's, with the check constraint
`clue_place_follows_village`, proves all three. Existing rows are made consistent with their village first.
"""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0016_entitlement_lean_place'),
        ('core', '0005_audit_hash_chain'),
        ('monitoring', '0008_department_and_province_sources'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE monitoring_clue SET township_id = substr(village_id, 1, 9), county_id = substr(village_id, 1, 6) "
            "WHERE township_id <> substr(village_id, 1, 9) OR county_id <> substr(village_id, 1, 6)",
            migrations.RunSQL.noop),
        migrations.AlterField(
            model_name='clue',
            name='county',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='县（市、区）'),
        ),
        migrations.AlterField(
            model_name='clue',
            name='kind',
            field=models.CharField(choices=[('death', '死亡'), ('income', '收入变化'), ('property', '财产变化'), ('discovery', '主动发现'), ('disability', '残疾情况变化'), ('change', '家庭情况变化')], max_length=12, verbose_name='线索类别'),
        ),
        migrations.AlterField(
            model_name='clue',
            name='status',
            field=models.CharField(choices=[('open', '待核查'), ('confirmed', '属实'), ('unfounded', '不属实')], default='open', max_length=10, verbose_name='状态'),
        ),
        migrations.AlterField(
            model_name='clue',
            name='township',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='乡镇（街道）'),
        ),
        migrations.AlterField(
            model_name='clue',
            name='village',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='村（社区）'),
        ),
        migrations.AddIndex(
            model_name='clue',
            index=models.Index(fields=['village', 'status', 'due_date'], name='clue_village_open'),
        ),
        migrations.AddConstraint(
            model_name='clue',
            constraint=models.CheckConstraint(condition=models.Q(('county', django.db.models.functions.text.Left('village', 6)), ('township', django.db.models.functions.text.Left('village', 9))), name='clue_place_follows_village', violation_error_message='乡镇、县（市、区）与所在村（社区）不一致'),
        ),
    ]
