"""Entitlements: plain indexes (no LIKE twins of db_index), one region foreign key held to its township and county
by a check constraint (as households, members and payee accounts: cases 0015, funds 0009)."""

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models


def fix_places(apps, schema_editor):
    schema_editor.execute(
        "UPDATE cases_entitlement SET township_id = substr(village_id, 1, 9), county_id = substr(village_id, 1, 6) "
        "WHERE township_id <> substr(village_id, 1, 9) OR county_id <> substr(village_id, 1, 6)")


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0015_place_follows_household'),
        ('core', '0005_audit_hash_chain'),
    ]

    operations = [
        migrations.RunPython(fix_places, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='entitlement',
            name='category',
            field=models.CharField(choices=[('dibao', '低保'), ('tekun_central', '特困（集中供养）'), ('tekun_dispersed', '特困（分散供养）'), ('dibao_edge', '低保边缘'), ('rigid_expense', '刚性支出困难'), ('monitor_unstable', '防返贫监测（脱贫不稳定）'), ('monitor_edge', '防返贫监测（边缘易致贫）'), ('monitor_sudden', '防返贫监测（突发严重困难）')], max_length=20, verbose_name='类别'),
        ),
        migrations.AlterField(
            model_name='entitlement',
            name='county',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='县（市、区）'),
        ),
        migrations.AlterField(
            model_name='entitlement',
            name='status',
            field=models.CharField(choices=[('active', '正常享受'), ('phasing_out', '渐退期'), ('suspended', '暂停'), ('ended', '已终止')], default='active', max_length=12, verbose_name='状态'),
        ),
        migrations.AlterField(
            model_name='entitlement',
            name='township',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='乡镇（街道）'),
        ),
        migrations.AlterField(
            model_name='entitlement',
            name='village',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='村（社区）'),
        ),
        migrations.AddIndex(
            model_name='entitlement',
            index=models.Index(fields=['township'], name='entitlement_township'),
        ),
        migrations.AddIndex(
            model_name='entitlement',
            index=models.Index(fields=['village'], name='entitlement_village'),
        ),
        migrations.AddIndex(
            model_name='entitlement',
            index=models.Index(fields=['category'], name='entitlement_category'),
        ),
        migrations.AddIndex(
            model_name='entitlement',
            index=models.Index(fields=['status'], name='entitlement_status'),
        ),
        migrations.AddConstraint(
            model_name='entitlement',
            constraint=models.CheckConstraint(condition=models.Q(('county', django.db.models.functions.text.Left('village', 6)), ('township', django.db.models.functions.text.Left('village', 9))), name='entitlement_place_follows_village', violation_error_message='乡镇、县（市、区）与所在村（社区）不一致'),
        ),
    ]
