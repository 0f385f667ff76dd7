"""The organization moved to ``tenants``: a change of state only, the tables stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0001_initial'),
        ('tenants', '0001_initial'),
    ]

    operations = [
        # The organization moved to the tenants app; its table kept its name, so only the state changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='campaign',
                    name='organization',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='campaigns', to='tenants.organization'),
                ),
                migrations.AlterField(
                    model_name='contact',
                    name='organization',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='tenants.organization'),
                ),
                migrations.AlterField(
                    model_name='contactlist',
                    name='organization',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contact_lists', to='tenants.organization'),
                ),
            ],
            database_operations=[],
        ),
    ]
