"""An expired or revoked token, or an unknown key, answers 401 with the reason; a live one works with either the
Token or the Bearer scheme."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tenants.models import ApiToken


def get_missions(authorization: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=authorization)
    return client.get("/api/missions/")


@pytest.mark.parametrize("scheme", ["Token", "Bearer", "bearer"])
def test_a_live_token_works_with_either_scheme(user, scheme):
    _, key = ApiToken.objects.issue(user)

    assert get_missions(f"{scheme} {key}").status_code == 200


def test_an_expired_token_is_refused(user):
    token, key = ApiToken.objects.issue(user)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = get_missions(f"Token {key}")

    assert response.status_code == 401
    assert response.data["detail"] == "This token has expired."
    assert response["WWW-Authenticate"] == "Token"


def test_a_revoked_token_is_refused_from_the_next_request_on(user):
    token, key = ApiToken.objects.issue(user)
    assert get_missions(f"Bearer {key}").status_code == 200

    assert ApiToken.revoke(ApiToken.objects.filter(pk=token.pk)) == 1

    response = get_missions(f"Bearer {key}")
    assert response.status_code == 401
    assert response.data["detail"] == "This token was revoked."
    assert ApiToken.revoke(ApiToken.objects.filter(pk=token.pk)) == 0  # revoking again changes nothing


def test_an_unknown_or_malformed_key_is_refused(user):
    _, key = ApiToken.objects.issue(user)

    for authorization in (f"Token {key}x", "Token", f"Token {key} extra", "Token caf\u00e9"):
        assert get_missions(authorization).status_code == 401, authorization


def test_a_token_of_a_deactivated_user_is_refused(user):
    _, key = ApiToken.objects.issue(user)
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert get_missions(f"Token {key}").status_code == 401
