"""Errors that never reach a DRF view (no matching URL, a malformed id, an escaped exception) answer JSON under
/api/ and Django's HTML elsewhere (core.api_json)."""

from __future__ import annotations

import uuid

import pytest
from django.http import HttpResponse, HttpResponseServerError
from django.test import RequestFactory

from core.api_json import JsonErrorsUnderApiMiddleware


@pytest.mark.django_db
def test_a_malformed_mission_id_answers_a_json_404(api_client):
    response = api_client.get("/api/missions/not-a-uuid/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_an_unknown_api_path_answers_a_json_404_even_without_credentials(client):
    response = client.get("/api/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_an_unknown_page_outside_the_api_keeps_the_html_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_get_without_the_trailing_slash_is_redirected_with_a_json_body(api_client):
    response = api_client.get("/api/missions?status=failed")

    assert response.status_code == 301
    assert response["Location"] == "/api/missions/?status=failed"
    assert response.json() == {"detail": "moved to /api/missions/"}


@pytest.mark.django_db
def test_a_post_without_the_trailing_slash_answers_a_json_404_naming_the_path(api_client):
    mission_id = uuid.uuid4()

    response = api_client.post(f"/api/missions/{mission_id}/cancel")

    assert response.status_code == 404
    assert response.json() == {"detail": f"Not found. The path ends with a slash: /api/missions/{mission_id}/cancel/"}


def test_a_server_error_under_the_api_is_json_and_keeps_its_status():
    def crash(request) -> HttpResponse:
        return HttpResponseServerError("<h1>Server Error (500)</h1>")

    response = JsonErrorsUnderApiMiddleware(crash)(RequestFactory().get("/api/billing/balance"))

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.content == b'{"detail": "A server error occurred."}'


def test_a_server_error_on_a_page_keeps_its_html():
    def crash(request) -> HttpResponse:
        return HttpResponseServerError("<h1>Server Error (500)</h1>")

    response = JsonErrorsUnderApiMiddleware(crash)(RequestFactory().get("/campaigns/"))

    assert response.content == b"<h1>Server Error (500)</h1>"
