"""However long ago it was created, a mission that has not finished (queued, running, retrying, waiting) is what
its command means: the same command again returns it rather than doing the work twice at once."""

import pytest

from missions.models import Mission, MissionStatus
from missions.tests.intake.dedupe_window_helpers import created_seconds_ago

COMMAND = {"type": "canary", "params": {"message": "slow"}}


@pytest.mark.parametrize("status", [MissionStatus.QUEUED, MissionStatus.RUNNING, MissionStatus.RETRYING,
                                    MissionStatus.WAITING])
def test_a_day_old_unfinished_mission_is_returned(api_client, status):
    first = api_client.post("/api/rex/command", COMMAND, format="json")
    created_seconds_ago(first.data["id"], 24 * 3600, finished=False)
    Mission.objects.filter(pk=first.data["id"]).update(status=status)

    again = api_client.post("/api/rex/command", COMMAND, format="json")

    assert again.status_code == 200, again.data
    assert again.data["id"] == first.data["id"]
    assert Mission.objects.count() == 1
