"""An authenticated user who belongs to no organization (or names one they are not in) gets 403, not data."""

import pytest
from rest_framework.test import APIClient

from conftest import api_token_for
from missions.models import Mission
from missions.tests.factories import submit_canary


@pytest.fixture
def homeless_client(db, django_user_model) -> APIClient:
    loner = django_user_model.objects.create_user("carol", "carol@example.com", "no organization here")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(loner)}")
    return client


def test_command_from_user_without_organization_answers_403(homeless_client):
    response = homeless_client.post("/api/rex/command", {"type": "canary"}, format="json")

    assert response.status_code == 403
    assert "organization" in str(response.data["detail"])
    assert Mission.objects.count() == 0


def test_mission_list_for_user_without_organization_answers_403(homeless_client, organization):
    submit_canary(organization)

    response = homeless_client.get("/api/missions/")

    assert response.status_code == 403


def test_naming_an_organization_the_user_is_not_in_answers_403(api_client, other_organization_client):
    response = api_client.post("/api/rex/command", {"type": "canary"}, format="json",
                               HTTP_X_REX_ORGANIZATION="globex")

    assert response.status_code == 403
    assert Mission.objects.count() == 0
