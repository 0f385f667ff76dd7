"""AXES_RESET_ON_SUCCESS: failures only add up between successful logins, so a user's typos never accumulate."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client


@pytest.mark.django_db
def test_failures_before_a_successful_login_no_longer_count(user):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "alice", "password": "correct horse battery"}).status_code == 302
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    answer = client.post("/accounts/login/", {"username": "alice", "password": "correct horse battery"})

    assert answer.status_code == 302
