"""The organization moved to ``tenants``: a change of state only, the tables stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agents', '0004_organization_moved_to_tenants'),
        ('billing', '0004_organization_moved_to_tenants'),
        ('campaigns', '0002_organization_moved_to_tenants'),
        ('domains', '0002_organization_moved_to_tenants'),
        ('inboxes', '0002_organization_moved_to_tenants'),
        ('missions', '0004_command_decision'),
        ('tenants', '0001_initial'),
    ]

    operations = [
        # The organization moved to the tenants app; its table kept its name, so only the state changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='mission',
                    name='organization',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='missions', to='tenants.organization'),
                ),
                migrations.AlterField(
                    model_name='commanddecision',
                    name='organization',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='command_decisions', to='tenants.organization'),
                ),
                migrations.DeleteModel(
                    name='Membership',
                ),
                migrations.DeleteModel(
                    name='Organization',
                ),
            ],
            database_operations=[],
        ),
    ]
