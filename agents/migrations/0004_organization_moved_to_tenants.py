"""The organization moved to ``tenants``: a change of state only, the tables stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agents', '0003_llm_request'),
        ('tenants', '0001_initial'),
    ]

    operations = [
        # The organization moved to the tenants app; its table kept its name, so only the state changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='agentlog',
                    name='organization',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agent_logs', to='tenants.organization'),
                ),
                migrations.AlterField(
                    model_name='llmrequest',
                    name='organization',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='llm_requests', to='tenants.organization'),
                ),
            ],
            database_operations=[],
        ),
    ]
