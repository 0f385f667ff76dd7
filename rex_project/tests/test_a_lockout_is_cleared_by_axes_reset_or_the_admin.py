"""An operator can lift a lockout before the cool-off ends: the axes_reset commands, or the admin."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from rest_framework.test import APIClient

TOKEN_URL = "/api/auth/token/"
RIGHT = {"username": "alice", "password": "correct horse battery"}


def locked_out_client() -> APIClient:
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": "alice", "password": "wrong"}, format="json")
    assert client.post(TOKEN_URL, RIGHT, format="json").status_code == 429
    return client


@pytest.mark.django_db
def test_axes_reset_lets_the_user_in_again(user):
    client = locked_out_client()

    call_command("axes_reset")

    assert client.post(TOKEN_URL, RIGHT, format="json").status_code == 200


@pytest.mark.django_db
def test_axes_reset_username_lets_that_user_in_again(user):
    client = locked_out_client()

    call_command("axes_reset_username", "alice")

    assert client.post(TOKEN_URL, RIGHT, format="json").status_code == 200


@pytest.mark.django_db
def test_the_lockout_is_listed_in_the_admin_and_deleting_it_lets_the_user_in_again(user, admin_client):
    client = locked_out_client()
    attempt = AccessAttempt.objects.get(username="alice")

    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert b"alice" in listing.content

    deleted = admin_client.post("/admin/axes/accessattempt/", {
        "action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"})
    assert deleted.status_code == 302

    assert client.post(TOKEN_URL, RIGHT, format="json").status_code == 200
