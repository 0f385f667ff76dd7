"""Keys that DRF's authtoken stored in plaintext keep working once tenants' migration 0003 has hashed them into
ApiTokens, and the plaintext table is gone."""

from __future__ import annotations

import hashlib
import importlib

from django.apps import apps
from django.db import connection
from rest_framework.test import APIClient

from tenants.models import ApiToken

migration = importlib.import_module("tenants.migrations.0003_hash_drf_tokens")
OLD_KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"  # DRF's format: 40 hex characters


def create_drf_token_table(user_id: int) -> None:
    """The table as DRF's authtoken migrations left it, with one plaintext key (the app is no longer installed)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp with time zone "
                       "NOT NULL, user_id integer NOT NULL UNIQUE)")
        cursor.execute("INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, '2025-01-02T03:04:05Z', %s)",
                       [OLD_KEY, user_id])


def test_an_old_key_authenticates_after_the_migration_and_only_its_hash_remains(user):
    create_drf_token_table(user.pk)

    with connection.schema_editor() as schema_editor:
        migration.hash_drf_tokens(apps, schema_editor)

    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == hashlib.sha256(OLD_KEY.encode()).hexdigest()
    assert token.prefix == OLD_KEY[:8]
    assert token.created_at.year == 2025
    assert token.expires_at is not None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {OLD_KEY}")
    assert client.get("/api/missions/").status_code == 200


def test_a_database_that_never_had_drf_tokens_is_left_alone(user):
    with connection.schema_editor() as schema_editor:
        migration.hash_drf_tokens(apps, schema_editor)

    assert not ApiToken.objects.exists()
