"""The persons' name index is led by the county: (county, name, id_last4) instead of (name, id_last4), and the
county's own index goes, the new one serving it (issue #22 item 3).

An index of every name in the registry takes a county's import all over its pages: at 10,000,000 persons it was the
largest part of what grew in the import from a city to a province (bench/README.md). Led by the county, a county's
import writes into its own part of the index, whose size does not grow with the number of counties. Every search by
name now states its counties (accounts.scope.county_q), or this index could not serve it. Building it reads the
whole table: 11.5 s at 10,000,000 persons here (back again 11.7 s).
"""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0020_person_id_index_unique_on_hash'),
        ('core', '0005_audit_hash_chain'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['county', 'name', 'id_last4'], name='person_county_name_last4',
                               opclasses=['varchar_ops', 'varchar_pattern_ops', 'varchar_pattern_ops']),
        ),
        migrations.RemoveIndex(
            model_name='person',
            name='person_name_last4',
        ),
        migrations.RemoveIndex(
            model_name='person',
            name='person_county',
        ),
    ]
