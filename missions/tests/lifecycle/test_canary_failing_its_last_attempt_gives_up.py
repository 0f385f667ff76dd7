"""A recoverable failure on the last allowed attempt fails the mission for good, saying it gave up."""

import pytest

from agents.models import AgentLog
from missions.models import Mission, MissionStatus
from missions.runner import run_claimed
from missions.tests.factories import submit_canary
from missions.tests.publishing import published_tasks


@pytest.mark.django_db(transaction=True)  # the runner works in autocommit, like a worker
def test_failure_on_the_last_attempt_fails_the_mission(organization):
    mission = submit_canary(organization, fail_times=10)
    Mission.objects.filter(pk=mission.pk).update(attempts=mission.max_attempts - 1)

    with published_tasks() as published:
        outcome = run_claimed(str(mission.id), worker="test")

    assert outcome == "failed"
    mission.refresh_from_db()
    assert mission.status == MissionStatus.FAILED
    assert mission.attempts == mission.max_attempts
    assert f"gave up after {mission.max_attempts} attempts" in mission.error["message"]
    assert mission.next_attempt_at is None
    assert mission.finished_at is not None
    assert published == []  # no further retry was scheduled
    assert AgentLog.objects.get(mission=mission, action="run").level == AgentLog.Level.ERROR
