"""POST /api/missions/{id}/cancel/ on an unfinished mission cancels it and records who did."""

import pytest

from missions.models import MissionStatus
from missions.tests.factories import drive_to, submit_canary


@pytest.mark.parametrize("status", [MissionStatus.QUEUED, MissionStatus.RUNNING, MissionStatus.RETRYING])
def test_cancel_answers_200_with_the_cancelled_mission(api_client, organization, user, status):
    mission = drive_to(submit_canary(organization), status)

    response = api_client.post(f"/api/missions/{mission.id}/cancel/")

    assert response.status_code == 200, response.data
    assert response.data["status"] == "cancelled"
    assert response.data["finished_at"] is not None
    last = response.data["events"][-1]
    assert (last["kind"], last["from_status"], last["to_status"]) == ("cancelled", status, "cancelled")
    mission.refresh_from_db()
    assert mission.status == MissionStatus.CANCELLED
    assert mission.lease_token == "" and mission.next_attempt_at is None
    assert mission.events.get(kind="cancelled").actor == user
