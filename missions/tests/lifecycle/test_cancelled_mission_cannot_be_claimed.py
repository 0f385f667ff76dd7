"""A cancelled mission never runs: a late message for it is refused by the claim."""

from missions.models import Mission, MissionStatus
from missions.tests.factories import submit_canary


def test_claim_of_cancelled_mission_returns_none_and_changes_nothing(organization):
    mission = submit_canary(organization)
    mission.cancel()

    assert Mission.claim(mission.id, worker="late-worker") is None

    mission.refresh_from_db()
    assert mission.status == MissionStatus.CANCELLED
    assert mission.attempts == 0
    assert mission.worker == ""
    assert list(mission.events.values_list("kind", flat=True)) == ["queued", "cancelled"]
