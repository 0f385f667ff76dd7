"""An API key's token, user and organizations are cached per process (tenants.credentials); whatever would refuse
the key is still refused on the very next request, in the process that made the change: a revoked token, a token
that expired while cached, a deactivated user, a removed membership (403), and a renamed organization no longer answers to
its old slug. The cross-process case is test_cached_credentials_are_forgotten_by_every_web_process."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tenants.models import ApiToken, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_and_token(user) -> tuple[APIClient, ApiToken]:
    token, key = ApiToken.objects.issue(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/missions/").status_code == 200  # cached from here on
    return client, token


def test_a_revoked_token_is_refused_on_its_next_request(client_and_token):
    client, token = client_and_token

    ApiToken.revoke(ApiToken.objects.filter(pk=token.pk))

    response = client.get("/api/missions/")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_a_token_that_expires_while_cached_is_refused(user, monkeypatch):
    token, key = ApiToken.objects.issue(user)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(hours=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/missions/").status_code == 200  # cached, expiring in an hour

    two_hours_later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr("tenants.models.timezone.now", lambda: two_hours_later)

    response = client.get("/api/missions/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_deactivated_user_is_refused_on_the_next_request(client_and_token, user):
    client, _ = client_and_token

    user.is_active = False
    user.save()

    assert client.get("/api/missions/").status_code == 401


def test_a_password_change_forgets_the_users_cached_credentials(client_and_token, user):
    client, _ = client_and_token

    user.set_password("a new horse battery")
    user.save()

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/missions/").status_code == 200
    assert any(ApiToken._meta.db_table in q["sql"] for q in queries.captured_queries)  # read again


def test_a_removed_membership_is_refused_on_the_next_request(client_and_token, user):
    client, _ = client_and_token

    Membership.objects.filter(user=user).delete()

    response = client.get("/api/missions/")
    assert response.status_code == 403


def test_a_renamed_organization_no_longer_answers_to_its_old_slug(client_and_token, organization):
    client, _ = client_and_token
    assert client.get("/api/missions/", HTTP_X_REX_ORGANIZATION="acme").status_code == 200

    organization.slug = "acme-renamed"
    organization.save()

    assert client.get("/api/missions/", HTTP_X_REX_ORGANIZATION="acme").status_code == 403
    assert client.get("/api/missions/", HTTP_X_REX_ORGANIZATION="acme-renamed").status_code == 200
