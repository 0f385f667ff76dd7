"""An agent that hands work to someone outside parks its mission as ``waiting`` (no lease, no worker held); when
the answer arrives the mission is queued again and dispatched, and the waiting did not use up an attempt."""

from collections.abc import Iterator
from typing import Any

import pytest

from agents import registry
from agents.base import AwaitExternal, BaseAgent, MissionContext
from agents.models import AgentLog
from missions.models import MissionStatus
from missions.runner import run_claimed
from missions.services import submit_mission
from missions.tests.publishing import published_tasks

pytestmark = pytest.mark.django_db(transaction=True)

ANSWERS: dict[str, str] = {}


class AskingAgent(BaseAgent):
    name = "test_asker"

    def execute(self, context: MissionContext, plan: dict[str, Any]) -> dict[str, Any]:
        answer = ANSWERS.get(str(context.mission.id))
        if answer is None:
            raise AwaitExternal("the partner's answer", correlation_id=f"ask-{context.mission.id}", timeout_seconds=60)
        return {"answer": answer}


@pytest.fixture
def asker() -> Iterator[None]:
    registry.register(AskingAgent)
    yield
    registry.unregister(AskingAgent.name)
    ANSWERS.clear()


def test_waiting_mission_is_parked_then_resumed_and_finishes(organization, asker):
    mission = submit_mission(organization, mission_type="test_asker", params={}).mission

    assert run_claimed(str(mission.id), worker="w1") == "waiting"
    mission.refresh_from_db()
    assert mission.status == MissionStatus.WAITING
    assert mission.attempts == 0  # given back: waiting is not a failed try
    assert mission.lease_token == ""
    assert mission.next_attempt_at is not None  # the deadline
    waiting = mission.events.last()
    assert waiting.kind == "waiting"
    assert waiting.data["correlation_id"] == f"ask-{mission.id}"
    assert AgentLog.objects.filter(mission=mission, action="wait").count() == 1
    # Nobody may run it meanwhile.
    assert run_claimed(str(mission.id), worker="w2") == "skipped"

    ANSWERS[str(mission.id)] = "yes, Tuesday"
    with published_tasks() as published:
        assert mission.resume(reason="answer arrived", data={"from": "partner"}) is True
    assert [task.args for task in published] == [(str(mission.id),)]
    mission.refresh_from_db()
    assert mission.status == MissionStatus.QUEUED
    assert mission.events.last().message == "resumed: answer arrived"

    assert run_claimed(str(mission.id), worker="w2") == "succeeded"
    mission.refresh_from_db()
    assert mission.result == {"answer": "yes, Tuesday"}
    assert mission.attempts == 1
    assert [e.kind for e in mission.events.all()] == ["queued", "running", "waiting", "queued", "running",
                                                      "succeeded"]


def test_resuming_a_mission_that_is_not_waiting_changes_nothing(organization, asker):
    mission = submit_mission(organization, mission_type="test_asker", params={}).mission

    assert mission.resume(reason="stray answer") is False
    mission.refresh_from_db()
    assert mission.status == MissionStatus.QUEUED
    assert mission.events.count() == 1


def test_a_waiting_mission_can_be_cancelled(organization, asker):
    mission = submit_mission(organization, mission_type="test_asker", params={}).mission
    run_claimed(str(mission.id), worker="w1")
    mission.refresh_from_db()

    mission.cancel()

    mission.refresh_from_db()
    assert mission.status == MissionStatus.CANCELLED
    assert mission.resume(reason="late answer") is False
