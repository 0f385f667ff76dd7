"""A chunk starts no mission once ``REX_BATCH_BUDGET_SECONDS`` have passed: the rest go back to the queue with
their attempt given back, and are sent again, so slow missions spread over every free worker."""

from collections.abc import Iterator

import pytest

from agents import registry
from agents.base import AgentResult, BaseAgent, MissionContext
from agents.models import AgentLog
from missions.models import Mission, MissionStatus
from missions.runner import run_batch
from missions.services import submit_mission
from missions.tests.factories import submit_canary
from missions.tests.publishing import published_mission_ids, published_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_missions_not_started_within_the_budget_are_queued_again(organization, settings):
    settings.REX_BATCH_BUDGET_SECONDS = 0.05
    missions = [submit_canary(organization, sleep_ms=100, n=i) for i in range(4)]

    with published_tasks() as published:
        counts = run_batch([str(m.id) for m in missions], worker="w1")

    assert counts == {"skipped": 0, "succeeded": 1, "handed_back": 3}
    first, *rest = missions
    assert Mission.objects.get(pk=first.pk).status == MissionStatus.SUCCEEDED
    for mission in rest:
        mission.refresh_from_db()
        assert (mission.status, mission.attempts, mission.started_at, mission.worker, mission.lease_token) == (
            MissionStatus.QUEUED, 0, None, "", "")
        assert mission.dispatch_count == 2
        assert list(mission.events.values_list("kind", "from_status", "to_status")) == [
            ("queued", "", "queued"), ("running", "queued", "running"), ("queued", "running", "queued")]
        assert "budget" in mission.events.last().message
        assert not AgentLog.objects.filter(mission=mission).exists()  # its agent never ran
    # Sent again together, in their order, to be claimed by whichever worker is free.
    assert published_mission_ids(published) == [str(m.id) for m in rest]
    assert {task.task for task in published} == {"missions.run_batch"}


def test_a_handed_back_mission_runs_later_with_its_whole_retry_budget(organization, settings):
    settings.REX_BATCH_BUDGET_SECONDS = 0.05
    missions = [submit_canary(organization, sleep_ms=100, n=i) for i in range(2)]
    run_batch([str(m.id) for m in missions], worker="w1")

    assert run_batch([str(missions[1].id)], worker="w2") == {"skipped": 0, "succeeded": 1}
    later = Mission.objects.get(pk=missions[1].pk)
    assert (later.status, later.attempts, later.worker) == (MissionStatus.SUCCEEDED, 1, "w2")
    assert later.events.filter(kind="running").last().message == "attempt 1 of 4 on w2"


def test_a_chunk_always_runs_its_first_mission_even_past_its_budget(organization, settings):
    settings.REX_BATCH_BUDGET_SECONDS = 0
    mission = submit_canary(organization)

    assert run_batch([str(mission.id)], worker="w1") == {"skipped": 0, "succeeded": 1}


class UnstorableResult(BaseAgent):
    """Returns a result the database cannot store: recording its outcome raises."""

    name = "test_unstorable"

    def run(self, context: MissionContext) -> AgentResult:
        return AgentResult({"value": object()})


@pytest.fixture
def unstorable() -> Iterator[None]:
    registry.register(UnstorableResult)
    yield
    registry._agents.pop(UnstorableResult.name, None)


def test_an_error_while_recording_hands_back_the_missions_not_started(organization, settings, unstorable):
    settings.REX_BATCH_FLUSH_SECONDS = 0
    broken = submit_mission(organization, mission_type="test_unstorable", params={}).mission
    rest = [submit_canary(organization, n=i) for i in range(2)]

    with pytest.raises(TypeError):
        run_batch([str(m.id) for m in [broken, *rest]], worker="w1")

    for mission in rest:
        mission.refresh_from_db()
        assert (mission.status, mission.attempts) == (MissionStatus.QUEUED, 0)
        assert "stopped early (TypeError)" in mission.events.last().message
    # The mission whose outcome could not be written keeps its lease; the sweeper takes it back when it lapses.
    assert Mission.objects.get(pk=broken.pk).status == MissionStatus.RUNNING
