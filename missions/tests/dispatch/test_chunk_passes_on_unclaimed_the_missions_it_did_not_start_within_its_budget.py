"""A chunk claims its missions in waves and starts no wave once ``REX_BATCH_BUDGET_SECONDS`` have passed: the rest,
never claimed, are sent again in pieces that fit a worker's budget, so slow missions spread over every free worker.
They never show `running` before a worker really starts them (issue 12, item 5)."""

from collections.abc import Iterator

import pytest

from agents import registry
from agents.base import AgentResult, BaseAgent, MissionContext
from agents.models import AgentLog
from missions.models import Mission, MissionStatus
from missions.runner import _run_missions, run_batch
from missions.services import submit_mission
from missions.tests.factories import submit_canary
from missions.tests.publishing import published_mission_ids, published_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_missions_not_started_within_the_budget_are_sent_again_without_being_claimed(organization, settings):
    settings.REX_BATCH_BUDGET_SECONDS = 0.05
    missions = [submit_canary(organization, sleep_ms=100, tag=f"n{i}") for i in range(4)]

    with published_tasks() as published:
        counts = run_batch([str(m.id) for m in missions], worker="w1")

    assert counts == {"skipped": 0, "succeeded": 1, "passed_on": 3}
    first, *rest = missions
    assert Mission.objects.get(pk=first.pk).status == MissionStatus.SUCCEEDED
    for mission in rest:
        mission.refresh_from_db()
        assert (mission.status, mission.attempts, mission.started_at, mission.worker, mission.lease_token) == (
            MissionStatus.QUEUED, 0, None, "", "")
        assert mission.dispatch_count == 2
        assert list(mission.events.values_list("kind", flat=True)) == ["queued"]  # never claimed, nothing to undo
        assert not AgentLog.objects.filter(mission=mission).exists()  # its agent never ran
    # Sent again in their order, one a message: a mission took longer than the budget, so one is what fits.
    assert published_mission_ids(published) == [str(m.id) for m in rest]
    assert {task.task for task in published} == {"missions.run_mission"}


def test_fast_missions_passed_on_go_in_pieces_that_fit_the_budget(organization, settings):
    settings.REX_BATCH_BUDGET_SECONDS = 0.25
    settings.REX_BATCH_FLUSH_SECONDS = 0.25
    missions = [submit_canary(organization, sleep_ms=100, tag=f"n{i}") for i in range(8)]

    with published_tasks() as published:
        counts = run_batch([str(m.id) for m in missions], worker="w1")

    ran = counts["succeeded"]
    assert counts["passed_on"] == len(missions) - ran
    # A mission takes a little over 100 ms here, so a budget of 250 ms fits at most two of them per message.
    pieces = [task.args[0] if task.task == "missions.run_batch" else [task.args[0]] for task in published]
    assert pieces and all(1 <= len(piece) <= 2 for piece in pieces)
    assert published_mission_ids(published) == [str(m.id) for m in missions[ran:]]


def test_a_passed_on_mission_runs_later_with_its_whole_retry_budget(organization, settings):
    settings.REX_BATCH_BUDGET_SECONDS = 0.05
    missions = [submit_canary(organization, sleep_ms=100, tag=f"n{i}") for i in range(2)]
    run_batch([str(m.id) for m in missions], worker="w1")

    assert run_batch([str(missions[1].id)], worker="w2") == {"skipped": 0, "succeeded": 1}
    later = Mission.objects.get(pk=missions[1].pk)
    assert (later.status, later.attempts, later.worker) == (MissionStatus.SUCCEEDED, 1, "w2")
    assert list(later.events.values_list("kind", "message")) == [
        ("queued", later.events.first().message), ("running", "attempt 1 of 4 on w2"),
        ("succeeded", "succeeded on attempt 1")]


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


def test_an_error_while_recording_sends_the_missions_not_claimed_again(organization, settings, unstorable):
    settings.REX_BATCH_FLUSH_SECONDS = 0
    broken = submit_mission(organization, mission_type="test_unstorable", params={}).mission
    rest = [submit_canary(organization, tag=f"n{i}") for i in range(2)]

    with published_tasks() as published, pytest.raises(TypeError):
        run_batch([str(m.id) for m in [broken, *rest]], worker="w1")

    for mission in rest:
        mission.refresh_from_db()
        assert (mission.status, mission.attempts, mission.dispatch_count) == (MissionStatus.QUEUED, 0, 2)
        assert list(mission.events.values_list("kind", flat=True)) == ["queued"]
    assert published_mission_ids(published) == [str(m.id) for m in rest]
    # The mission whose outcome could not be written keeps its lease; the sweeper takes it back when it lapses.
    assert Mission.objects.get(pk=broken.pk).status == MissionStatus.RUNNING


def test_an_error_while_recording_a_wave_hands_back_its_claimed_missions_not_started(organization, settings,
                                                                                     unstorable):
    # A wave of several missions (fast ones, claimed together) stops on an error: the ones it had claimed but not
    # started go back to the queue at once, their attempt given back, rather than when their lease lapses.
    settings.REX_BATCH_FLUSH_SECONDS = 0
    broken = submit_mission(organization, mission_type="test_unstorable", params={}).mission
    rest = [submit_canary(organization, tag=f"n{i}") for i in range(2)]
    claimed = Mission.claim_batch([str(m.id) for m in [broken, *rest]], worker="w1")

    with pytest.raises(TypeError):
        _run_missions(claimed)

    for mission in rest:
        mission.refresh_from_db()
        assert (mission.status, mission.attempts) == (MissionStatus.QUEUED, 0)
        assert "stopped early (TypeError)" in mission.events.last().message
