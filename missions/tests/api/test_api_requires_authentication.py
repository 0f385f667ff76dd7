"""Every mission endpoint answers 401 to a caller without credentials (or with a token that does not exist)."""

import uuid

import pytest
from rest_framework.test import APIClient

from missions.models import Mission

MISSION_ID = uuid.uuid4()
ENDPOINTS = {
    "command": ("post", "/api/rex/command"),
    "list": ("get", "/api/missions/"),
    "detail": ("get", f"/api/missions/{MISSION_ID}/"),
    "cancel": ("post", f"/api/missions/{MISSION_ID}/cancel/"),
    "retry": ("post", f"/api/missions/{MISSION_ID}/retry/"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("method, url", ENDPOINTS.values(), ids=ENDPOINTS.keys())
def test_request_without_credentials_answers_401(method, url):
    response = getattr(APIClient(), method)(url, {"type": "canary"} if method == "post" else None, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
@pytest.mark.parametrize("method, url", ENDPOINTS.values(), ids=ENDPOINTS.keys())
def test_request_with_an_unknown_token_answers_401(method, url):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = getattr(client, method)(url, {"type": "canary"} if method == "post" else None, format="json")

    assert response.status_code == 401
    assert Mission.objects.count() == 0
