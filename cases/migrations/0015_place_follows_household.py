"""A member's place is its household's, a household's township and county are its village's prefixes.

- existing rows are made consistent first (a member takes its household's place; a township or county that
  disagrees with the village code is set from it, as `PlaceMixin.place_from_village` does);
- households and members keep one region foreign key, the village (members: through their household), held to
  the township and county by a check constraint — one foreign-key check per inserted row instead of three or four;
- on PostgreSQL a member's (household, village, township, county) references its household's, ON UPDATE CASCADE;
- the person's plain name index and last-four index become one (name, last four) index whose operator class also
  serves prefix search; the household's head name keeps one index of that kind.
"""

import core.names
import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


PLACE_FIXES = [
    "UPDATE cases_household SET township_id = substr(village_id, 1, 9), county_id = substr(village_id, 1, 6) "
    "WHERE township_id <> substr(village_id, 1, 9) OR county_id <> substr(village_id, 1, 6)",
    "UPDATE cases_person SET "
    "village_id = (SELECT h.village_id FROM cases_household h WHERE h.id = cases_person.household_id), "
    "township_id = (SELECT h.township_id FROM cases_household h WHERE h.id = cases_person.household_id), "
    "county_id = (SELECT h.county_id FROM cases_household h WHERE h.id = cases_person.household_id) "
    "WHERE EXISTS (SELECT 1 FROM cases_household h WHERE h.id = cases_person.household_id AND "
    "(h.village_id <> cases_person.village_id OR h.township_id <> cases_person.township_id "
    "OR h.county_id <> cases_person.county_id))",
]
MEMBER_KEY = ("ALTER TABLE cases_person ADD CONSTRAINT person_household_place "
              "FOREIGN KEY (household_id, village_id, township_id, county_id) "
              "REFERENCES cases_household (id, village_id, township_id, county_id) "
              "ON UPDATE CASCADE ON DELETE NO ACTION DEFERRABLE INITIALLY DEFERRED")


def fix_places(apps, schema_editor):
    for sql in PLACE_FIXES:
        schema_editor.execute(sql)


def add_member_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(MEMBER_KEY)


def drop_member_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_person DROP CONSTRAINT person_household_place")


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0014_person_household_lean_indexes'),
        ('core', '0005_audit_hash_chain'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(fix_places, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name='person',
            name='person_id_last4',
        ),
        migrations.AlterField(
            model_name='household',
            name='county',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='县（市、区）'),
        ),
        migrations.AlterField(
            model_name='household',
            name='head_name',
            field=models.CharField(max_length=50, validators=[core.names.NameValidator()], verbose_name='户主姓名'),
        ),
        migrations.AlterField(
            model_name='household',
            name='township',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='乡镇（街道）'),
        ),
        migrations.AlterField(
            model_name='person',
            name='county',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='县（市、区）'),
        ),
        migrations.AlterField(
            model_name='person',
            name='household',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='members', to='cases.household', verbose_name='家庭'),
        ),
        migrations.AlterField(
            model_name='person',
            name='name',
            field=models.CharField(max_length=50, validators=[core.names.NameValidator()], verbose_name='姓名'),
        ),
        migrations.AlterField(
            model_name='person',
            name='township',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='乡镇（街道）'),
        ),
        migrations.AlterField(
            model_name='person',
            name='village',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.region', verbose_name='村（社区）'),
        ),
        migrations.AddIndex(
            model_name='household',
            index=models.Index(fields=['head_name'], name='household_head_name', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['name', 'id_last4'], name='person_name_last4', opclasses=['varchar_pattern_ops', 'varchar_pattern_ops']),
        ),
        migrations.AddConstraint(
            model_name='household',
            constraint=models.CheckConstraint(condition=models.Q(('county', django.db.models.functions.text.Left('village', 6)), ('township', django.db.models.functions.text.Left('village', 9))), name='household_place_follows_village', violation_error_message='乡镇、县（市、区）与所在村（社区）不一致'),
        ),
        migrations.AddConstraint(
            model_name='household',
            constraint=models.UniqueConstraint(fields=('id', 'village', 'township', 'county'), name='household_id_place'),
        ),
        migrations.AddConstraint(
            model_name='person',
            constraint=models.CheckConstraint(condition=models.Q(('county', django.db.models.functions.text.Left('village', 6)), ('township', django.db.models.functions.text.Left('village', 9))), name='person_place_follows_village', violation_error_message='乡镇、县（市、区）与所在村（社区）不一致'),
        ),
        migrations.RunPython(add_member_key, drop_member_key),
    ]
