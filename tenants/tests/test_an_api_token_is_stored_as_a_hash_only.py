"""An API token's key is never stored: its row keeps the SHA-256 and a short prefix, and the key works once issued
(by the manager or by POST /api/auth/token/)."""

from __future__ import annotations

import hashlib

from django.db import connection
from rest_framework.test import APIClient

from tenants.models import ApiToken


def stored_row(token: ApiToken) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table} WHERE id = %s", [token.pk])
        return repr(cursor.fetchone())


def test_issue_returns_a_key_whose_hash_alone_is_stored(user):
    token, key = ApiToken.objects.issue(user, name="crm sync")

    assert key.startswith("rex_") and len(key) > 40
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:12]
    assert key not in stored_row(token)
    assert key[12:] not in stored_row(token)
    assert (token.user, token.name, token.revoked_at, token.last_used_at) == (user, "crm sync", None, None)


def test_the_token_endpoint_stores_no_key_either(user):
    response = APIClient().post("/api/auth/token/", {"username": "alice", "password": "correct horse battery"},
                                format="json")

    key = response.data["token"]
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in stored_row(token)


def test_a_new_token_expires_after_the_configured_lifetime_or_never(user, settings):
    settings.REX_API_TOKEN_LIFETIME_DAYS = 30
    token, _ = ApiToken.objects.issue(user)
    assert 29.9 < (token.expires_at - token.created_at).total_seconds() / 86400 <= 30

    settings.REX_API_TOKEN_LIFETIME_DAYS = 0
    assert ApiToken.objects.issue(user)[0].expires_at is None
