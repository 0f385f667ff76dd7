"""Organization and Membership, moved here from ``missions``: the state moves, the tables stay as they are."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    """Keep the permissions (and admin log entries) users hold on these models: they are the same models."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in ("organization", "membership"):
        if not content_type.objects.filter(app_label="tenants", model=model).exists():
            content_type.objects.filter(app_label="missions", model=model).update(app_label="tenants")


def move_content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="tenants", model__in=("organization", "membership")).update(
        app_label="missions")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # The tables were created by missions' first migration; this one takes over the models, not the tables.
        ('missions', '0004_command_decision'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Organization',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('slug', models.SlugField(max_length=64, unique=True)),
                        ('postal_address', models.TextField(blank=True, help_text='Printed in every cold email (CAN-SPAM).')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'db_table': 'missions_organization',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='Membership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('owner', 'Owner'), ('member', 'Member')], default='member', max_length=16)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='tenants.organization')),
                    ],
                    options={
                        'db_table': 'missions_membership',
                        'constraints': [models.UniqueConstraint(fields=('user', 'organization'), name='unique_membership')],
                    },
                ),
            ],
            database_operations=[
                migrations.RunPython(move_content_types, move_content_types_back),
            ],
        ),
    ]
