"""The token endpoint's own throttle (scope "auth", REX_API_THROTTLE_AUTH, per client address)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

TOKEN_URL = "/api/auth/token/"
RIGHT = {"username": "alice", "password": "correct horse battery"}
RATE = 20  # REX_API_THROTTLE_AUTH's default, 20/min


@pytest.mark.django_db
def test_the_request_past_the_rate_answers_429_with_retry_after_and_other_addresses_are_unaffected(user):
    client = APIClient(REMOTE_ADDR="203.0.113.7")
    for _ in range(RATE):
        assert client.post(TOKEN_URL, RIGHT, format="json").status_code == 200

    throttled = client.post(TOKEN_URL, RIGHT, format="json")

    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert "token" not in throttled.json()
    assert APIClient(REMOTE_ADDR="198.51.100.20").post(TOKEN_URL, RIGHT, format="json").status_code == 200
