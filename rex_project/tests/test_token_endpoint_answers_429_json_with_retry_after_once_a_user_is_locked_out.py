"""After REX_LOGIN_FAILURE_LIMIT wrong passwords, the token endpoint refuses even the right one: 429, JSON."""

from __future__ import annotations

import pytest
from django.conf import settings
from rest_framework.test import APIClient

TOKEN_URL = "/api/auth/token/"


@pytest.mark.django_db
def test_the_right_password_after_the_failure_limit_answers_429_json_with_retry_after(user):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = client.post(TOKEN_URL, {"username": "alice", "password": "wrong"}, format="json")
        assert wrong.status_code == 400
    # The failure that reaches the limit is itself answered with the lockout.
    assert client.post(TOKEN_URL, {"username": "alice", "password": "wrong"}, format="json").status_code == 429

    locked = client.post(TOKEN_URL, {"username": "alice", "password": "correct horse battery"}, format="json")

    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert locked.json()["code"] == "locked_out"
    assert "token" not in locked.json()
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()


@pytest.mark.django_db
def test_fewer_failures_than_the_limit_still_let_the_right_password_in(user):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(TOKEN_URL, {"username": "alice", "password": "wrong"}, format="json")

    answer = client.post(TOKEN_URL, {"username": "alice", "password": "correct horse battery"}, format="json")

    assert answer.status_code == 200
    assert answer.json()["token"]
