"""Existing DRF tokens (``authtoken_token``, plaintext keys) become ApiTokens that keep only each key's SHA-256, so
every key integrators already have keeps working; then the plaintext table is dropped.

``rest_framework.authtoken`` is no longer installed, so its table is read with SQL, and only if it exists (a new
database never had one). Migrated tokens get the lifetime of new ones from now (REX_API_TOKEN_LIFETIME_DAYS), which
gives integrators that long to move to a new key. Irreversible: the plaintext keys are gone by design.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

DRF_TABLE = "authtoken_token"
# DRF keys are 40 hex characters; the first 8 tell them apart in the admin, as new keys' "rex_…" prefix does.
DRF_SHOWN_PREFIX_LENGTH = 8


def hash_drf_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if DRF_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("tenants", "ApiToken")
    days = settings.REX_API_TOKEN_LIFETIME_DAYS
    expires_at = timezone.now() + timedelta(days=days) if days > 0 else None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {DRF_TABLE}")
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create([
        ApiToken(user_id=user_id, name="migrated DRF token", prefix=key[:DRF_SHOWN_PREFIX_LENGTH],
                 key_hash=hashlib.sha256(key.encode("utf-8")).hexdigest(), expires_at=expires_at)
        for key, user_id, _created in rows
    ])
    # created_at is auto_now_add: keep when each key was really made.
    for key, _user_id, created in rows:
        ApiToken.objects.filter(key_hash=hashlib.sha256(key.encode("utf-8")).hexdigest()).update(created_at=created)
    schema_editor.execute(f"DROP TABLE {DRF_TABLE}")
    # The app is gone: forget its migrations, so re-installing it one day would create its table afresh.
    schema_editor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):
    dependencies = [("tenants", "0002_api_token")]

    operations = [migrations.RunPython(hash_drf_tokens, migrations.RunPython.noop, elidable=False)]
