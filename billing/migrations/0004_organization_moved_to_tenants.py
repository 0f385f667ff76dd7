"""The organization moved to ``tenants``: a change of state only, the tables stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0003_purchase_order'),
        ('tenants', '0001_initial'),
    ]

    operations = [
        # The organization moved to the tenants app; its table kept its name, so only the state changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='ledgerentry',
                    name='organization',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ledger_entries', to='tenants.organization'),
                ),
                migrations.AlterField(
                    model_name='purchase',
                    name='organization',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='purchases', to='tenants.organization'),
                ),
                migrations.DeleteModel(name='BillingAccount'),
                migrations.CreateModel(
                    name='BillingAccount',
                    fields=[],
                    options={'verbose_name': 'billing account', 'proxy': True, 'indexes': [], 'constraints': []},
                    bases=('tenants.organization',),
                ),
            ],
            database_operations=[],
        ),
    ]
