"""Every response, pages, API and static files alike, carries REX_PERMISSIONS_POLICY; an empty setting drops it."""

from __future__ import annotations

from django.test import Client


def test_pages_api_answers_and_static_files_refuse_the_unused_features(user, api_client):
    anonymous = Client()
    responses = [anonymous.get("/accounts/login/"), anonymous.get("/static/rex/app.css"), api_client.get("/api/missions/")]

    for response in responses:
        assert response.status_code == 200
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
            assert feature in policy


def test_the_policy_comes_from_the_setting_and_an_empty_one_sends_none(db, settings):
    settings.REX_PERMISSIONS_POLICY = "camera=(self)"
    assert Client().get("/accounts/login/")["Permissions-Policy"] == "camera=(self)"

    settings.REX_PERMISSIONS_POLICY = ""
    assert "Permissions-Policy" not in Client().get("/accounts/login/")
