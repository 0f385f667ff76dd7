"""A tenant never sees or touches another tenant's missions: they simply do not exist for it (404)."""

import pytest

from missions.models import Mission, MissionStatus
from missions.tests.factories import drive_to, submit_canary


@pytest.fixture
def our_mission(organization, user) -> Mission:
    return submit_canary(organization, message="ours")


def test_detail_of_another_organizations_mission_answers_404(our_mission, other_organization_client):
    response = other_organization_client.get(f"/api/missions/{our_mission.id}/")

    assert response.status_code == 404


def test_list_shows_only_the_callers_organization(api_client, our_mission, other_organization_client):
    theirs = other_organization_client.post("/api/rex/command", {"type": "canary"}, format="json").data

    ours_listed = [m["id"] for m in api_client.get("/api/missions/").data["results"]]
    theirs_listed = [m["id"] for m in other_organization_client.get("/api/missions/").data["results"]]

    assert ours_listed == [str(our_mission.id)]
    assert theirs_listed == [theirs["id"]]


def test_cancelling_another_organizations_mission_answers_404_and_changes_nothing(our_mission,
                                                                                   other_organization_client):
    response = other_organization_client.post(f"/api/missions/{our_mission.id}/cancel/")

    assert response.status_code == 404
    our_mission.refresh_from_db()
    assert our_mission.status == MissionStatus.QUEUED
    assert our_mission.events.count() == 1


def test_retrying_another_organizations_mission_answers_404_and_changes_nothing(our_mission,
                                                                                 other_organization_client):
    drive_to(our_mission, MissionStatus.FAILED)

    response = other_organization_client.post(f"/api/missions/{our_mission.id}/retry/")

    assert response.status_code == 404
    our_mission.refresh_from_db()
    assert our_mission.status == MissionStatus.FAILED
