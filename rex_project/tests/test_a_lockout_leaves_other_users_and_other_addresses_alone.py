"""A lockout is per username *and* client address (AXES_LOCKOUT_PARAMETERS): nobody else is shut out by it."""

from __future__ import annotations

import pytest
from django.conf import settings
from rest_framework.test import APIClient

TOKEN_URL = "/api/auth/token/"


def lock_out_alice_from(address: str) -> None:
    client = APIClient(REMOTE_ADDR=address)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": "alice", "password": "wrong"}, format="json")
    assert client.post(TOKEN_URL, {"username": "alice", "password": "correct horse battery"},
                       format="json").status_code == 429


@pytest.mark.django_db
def test_another_user_from_another_address_gets_a_token(user, other_organization_client):
    lock_out_alice_from("203.0.113.7")

    answer = APIClient(REMOTE_ADDR="198.51.100.20").post(
        TOKEN_URL, {"username": "bob", "password": "another horse battery"}, format="json")

    assert answer.status_code == 200


@pytest.mark.django_db
def test_the_same_user_from_another_address_gets_a_token(user):
    lock_out_alice_from("203.0.113.7")

    answer = APIClient(REMOTE_ADDR="198.51.100.20").post(
        TOKEN_URL, {"username": "alice", "password": "correct horse battery"}, format="json")

    assert answer.status_code == 200


@pytest.mark.django_db
def test_a_forwarded_for_header_written_by_the_client_does_not_escape_the_lockout(user):
    # REMOTE_ADDR is the client (daphne --proxy-headers sets it from the proxy's header); a header the client sends
    # straight to Django must not count as another address.
    lock_out_alice_from("203.0.113.7")

    answer = APIClient(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.99").post(
        TOKEN_URL, {"username": "alice", "password": "correct horse battery"}, format="json")

    assert answer.status_code == 429
