"""A canary with fail_times 2 is retried after exactly 2 s and then 4 s on a real worker, and then succeeds."""

from datetime import datetime, timedelta

import pytest

from conftest import wait_for
from missions.models import Mission
from missions.services import submit_mission

pytestmark = pytest.mark.e2e


def test_fail_times_two_retries_on_the_2_4_schedule_then_succeeds(start_worker, organization):
    start_worker()
    mission = submit_mission(organization, mission_type="canary", params={"fail_times": 2}).mission

    wait_for(lambda: Mission.objects.get(pk=mission.pk).is_final, 30, "the canary to finish")
    mission.refresh_from_db()
    assert mission.status == "succeeded"
    assert mission.attempts == 3
    events = list(mission.events.order_by("seq"))
    assert [e.kind for e in events] == ["queued", "running", "retrying", "running", "retrying", "running", "succeeded"]

    retries = [e for e in events if e.kind == "retrying"]
    assert [r.data["retry_in_seconds"] for r in retries] == [2, 4]
    for retry in retries:
        # The retry is scheduled exactly `retry_in_seconds` after the failure was recorded …
        due = datetime.fromisoformat(retry.data["next_attempt_at"])
        assert abs((due - retry.created_at) - timedelta(seconds=retry.data["retry_in_seconds"])) < timedelta(
            milliseconds=50)
        assert retry.data["error"]["recoverable"] is True
        # … and the next attempt does not start before it is due.
        next_run = next(e for e in events if e.seq > retry.seq and e.kind == "running")
        assert next_run.created_at >= due - timedelta(milliseconds=250)
