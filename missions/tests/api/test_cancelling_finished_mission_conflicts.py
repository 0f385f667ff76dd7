"""Cancelling a mission that already finished answers 409 and leaves it exactly as it was."""

import pytest

from missions.models import MissionStatus
from missions.tests.factories import drive_to, submit_canary


@pytest.mark.parametrize("status", [MissionStatus.SUCCEEDED, MissionStatus.FAILED, MissionStatus.CANCELLED])
def test_cancel_of_finished_mission_answers_409(api_client, organization, status):
    mission = drive_to(submit_canary(organization), status)
    events_before = mission.events.count()

    response = api_client.post(f"/api/missions/{mission.id}/cancel/")

    assert response.status_code == 409
    assert response.data["status"] == status
    assert status in response.data["detail"]
    mission.refresh_from_db()
    assert mission.status == status
    assert mission.events.count() == events_before
