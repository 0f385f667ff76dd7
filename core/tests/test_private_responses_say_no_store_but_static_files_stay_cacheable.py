"""API answers and pages for a logged-in user carry ``Cache-Control: no-store``; static files keep their caching."""

from __future__ import annotations

from django.test import Client
from rest_framework.test import APIClient


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_api_json_is_never_stored_whether_or_not_the_call_was_authenticated(api_client, db):
    answered = api_client.get("/api/missions/")
    refused = APIClient().get("/api/missions/")

    assert answered.status_code == 200 and answered["Content-Type"] == "application/json"
    assert refused.status_code == 401
    assert no_store(answered)
    assert no_store(refused)


def test_a_page_for_a_logged_in_user_is_never_stored(user):
    client = Client()
    client.force_login(user)

    for path in ("/", "/domains/", "/campaigns/", "/inbox/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert no_store(response), path


def test_static_files_are_not_marked_no_store_even_for_a_logged_in_user(user):
    client = Client()
    client.force_login(user)

    response = client.get("/static/rex/common.js")

    assert response.status_code == 200
    assert not no_store(response)
