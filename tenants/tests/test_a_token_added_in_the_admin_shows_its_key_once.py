"""Adding an API token in the admin shows its key on the page that answers the form, once; the list and the
token's own page show its prefix, owner and dates, never the key; the revoke action makes it answer 401."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tenants.models import ApiToken


@pytest.fixture
def admin_client(db, django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", "root@acme.example", "x"))
    return client


def works(key: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/missions/").status_code == 200


def test_the_key_is_shown_once_and_works(admin_client, user):
    response = admin_client.post("/admin/tenants/apitoken/add/", {"user": user.pk, "name": "crm sync",
                                                                    "expires_at_0": "", "expires_at_1": ""})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = re.search(r'<code id="api-key">([^<]+)</code>', response.content.decode()).group(1)
    token = ApiToken.objects.get(name="crm sync")
    assert key.startswith(token.prefix)
    assert token.expires_at is None  # the form's expiry was cleared: it works until revoked
    assert works(key)

    for page in ("/admin/tenants/apitoken/", f"/admin/tenants/apitoken/{token.pk}/change/"):
        shown = admin_client.get(page).content.decode()
        assert token.prefix in shown
        assert key not in shown, page


def test_the_add_form_proposes_the_configured_expiry(admin_client, settings):
    settings.REX_API_TOKEN_LIFETIME_DAYS = 7

    form = admin_client.get("/admin/tenants/apitoken/add/").content.decode()

    assert 'name="expires_at_0"' in form and 'name="user"' in form
    assert "key_hash" not in form


def test_the_revoke_action_turns_the_token_away(admin_client, user):
    token, key = ApiToken.objects.issue(user, name="old laptop")

    response = admin_client.post("/admin/tenants/apitoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]},
                                 follow=True)

    assert "1 token(s) revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not works(key)
