"""Issue #15: a reserve-fund disbursement's note carried the recipient's name ("张三户先行救助"); it now
carries the case number only."""
from django.db import migrations
import core.names
from django.db import migrations, models


def scrub(apps, schema_editor):
    Entry = apps.get_model("cases", "ReserveFundEntry")
    for entry in Entry.objects.filter(kind="disbursement", aid__isnull=False).only("pk", "aid_id"):
        Entry.objects.filter(pk=entry.pk).update(note=f"先行救助 第{entry.aid_id}号")


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_region_in_core")]
    operations = [
        migrations.RunPython(scrub, migrations.RunPython.noop),

        migrations.AlterField(
            model_name='application',
            name='decision_reason',
            field=models.TextField(blank=True, max_length=2000, verbose_name='决定理由'),
        ),
        migrations.AlterField(
            model_name='application',
            name='findings',
            field=models.TextField(blank=True, max_length=2000, verbose_name='调查情况'),
        ),
        migrations.AlterField(
            model_name='application',
            name='objection',
            field=models.TextField(blank=True, max_length=2000, verbose_name='公示异议'),
        ),
        migrations.AlterField(
            model_name='application',
            name='reason',
            field=models.TextField(max_length=2000, verbose_name='申请理由'),
        ),
        migrations.AlterField(
            model_name='application',
            name='review_result',
            field=models.TextField(blank=True, max_length=2000, verbose_name='民主评议情况'),
        ),
        migrations.AlterField(
            model_name='application',
            name='verification_result',
            field=models.TextField(blank=True, max_length=2000, verbose_name='家庭经济状况核对结果'),
        ),
        migrations.AlterField(
            model_name='applicationevent',
            name='note',
            field=models.TextField(blank=True, max_length=2000, verbose_name='说明'),
        ),
        migrations.AlterField(
            model_name='careagreement',
            name='carer_name',
            field=models.CharField(max_length=50, validators=[core.names.NameValidator()], verbose_name='照料人'),
        ),
        migrations.AlterField(
            model_name='careagreement',
            name='duties',
            field=models.TextField(max_length=2000, verbose_name='照料内容'),
        ),
        migrations.AlterField(
            model_name='carevisit',
            name='findings',
            field=models.TextField(max_length=2000, verbose_name='探访情况'),
        ),
        migrations.AlterField(
            model_name='household',
            name='head_name',
            field=models.CharField(db_index=True, max_length=50, validators=[core.names.NameValidator()], verbose_name='户主姓名'),
        ),
        migrations.AlterField(
            model_name='household',
            name='note',
            field=models.TextField(blank=True, max_length=2000, verbose_name='备注'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='attendees',
            field=models.TextField(help_text='每行一人或以顿号分隔', max_length=2000, verbose_name='参会人员'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='note',
            field=models.TextField(blank=True, max_length=2000, verbose_name='会议纪要'),
        ),
        migrations.AlterField(
            model_name='notice',
            name='reasons',
            field=models.TextField(max_length=2000, verbose_name='理由'),
        ),
        migrations.AlterField(
            model_name='obligor',
            name='name',
            field=models.CharField(max_length=50, validators=[core.names.NameValidator()], verbose_name='姓名'),
        ),
        migrations.AlterField(
            model_name='person',
            name='name',
            field=models.CharField(db_index=True, max_length=50, validators=[core.names.NameValidator()], verbose_name='姓名'),
        ),
        migrations.AlterField(
            model_name='recheck',
            name='note',
            field=models.TextField(blank=True, max_length=2000, verbose_name='复核情况'),
        ),
        migrations.AlterField(
            model_name='relativelink',
            name='staff_name',
            field=models.CharField(max_length=50, validators=[core.names.NameValidator()], verbose_name='工作人员/村干部'),
        ),
        migrations.AlterField(
            model_name='tekunprofile',
            name='visitor_name',
            field=models.CharField(blank=True, max_length=50, validators=[core.names.NameValidator()], verbose_name='探访人姓名'),
        ),
        migrations.AlterField(
            model_name='temporaryaid',
            name='cause',
            field=models.TextField(max_length=2000, verbose_name='困难情形'),
        ),
        migrations.AlterField(
            model_name='temporaryaid',
            name='paperwork',
            field=models.TextField(blank=True, max_length=2000, verbose_name='事后补充说明'),
        ),
    ]
