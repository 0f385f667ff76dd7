"""missions.runner.run_claimed, in process: a recoverable failure schedules the next attempt 2 s later (the
first step of 2 / 4 / 8 s), and the due retry then succeeds; every attempt is audited and counted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agents.models import AgentLog
from agents.stats import agent_stats
from missions.models import Mission, MissionStatus
from missions.runner import run_claimed
from missions.tests.factories import submit_canary
from missions.tests.publishing import published_tasks

pytestmark = pytest.mark.django_db(transaction=True)  # the runner works in autocommit, like a worker


def test_first_failure_schedules_a_retry_two_seconds_later(organization):
    mission = submit_canary(organization, fail_times=1)

    with published_tasks() as published:
        before = timezone.now()
        outcome = run_claimed(str(mission.id), worker="test")
        after = timezone.now()

    assert outcome == "retrying"
    mission.refresh_from_db()
    assert mission.status == MissionStatus.RETRYING
    assert mission.attempts == 1
    assert mission.error["recoverable"] is True
    assert mission.error["type"] == "RecoverableAgentError"
    assert before + timedelta(seconds=2) <= mission.next_attempt_at <= after + timedelta(seconds=2)
    retrying = mission.events.get(kind="retrying")
    assert retrying.data["retry_in_seconds"] == 2
    assert retrying.data["next_attempt_at"] == mission.next_attempt_at.isoformat()
    assert [(p.args, p.eta is not None) for p in published] == [((str(mission.id),), True)]  # the delayed retry
    log = AgentLog.objects.get(mission=mission, action="run")
    assert (log.agent, log.action, log.level, log.attempt) == ("canary", "run", AgentLog.Level.WARNING, 1)
    assert log.payload["outcome"] == "retrying"
    assert log.payload["error"]["recoverable"] is True


def test_due_retry_succeeds_on_the_second_attempt(organization):
    mission = submit_canary(organization, fail_times=1, message="second time lucky")
    assert run_claimed(str(mission.id), worker="test") == "retrying"

    assert run_claimed(str(mission.id), worker="test") == "skipped"  # not due yet
    Mission.objects.filter(pk=mission.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    outcome = run_claimed(str(mission.id), worker="test")

    assert outcome == "succeeded"
    mission.refresh_from_db()
    assert mission.status == MissionStatus.SUCCEEDED
    assert mission.attempts == 2
    assert mission.error is None
    assert mission.result == {"echo": mission.params, "attempt": 2}
    assert [e.kind for e in mission.events.all()] == ["queued", "running", "retrying", "running", "succeeded"]
    runs = AgentLog.objects.filter(mission=mission, action="run").order_by("attempt")
    assert list(runs.values_list("attempt", "level")) == [(1, AgentLog.Level.WARNING), (2, AgentLog.Level.INFO)]
    canary = next(entry for entry in agent_stats(organization_id=organization.pk) if entry["name"] == "canary")
    assert (canary["runs"], canary["successes"], canary["retries"]) == (2, 1, 1)
    assert canary["last_run_at"] is not None
