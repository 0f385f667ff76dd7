"""An agent raising FatalAgentError (or crashing outright) fails its mission on the first attempt: no retry."""

from collections.abc import Iterator

import pytest

from agents import registry
from agents.base import AgentResult, BaseAgent, FatalAgentError, MissionContext
from agents.models import AgentLog
from missions.models import MissionStatus
from missions.runner import run_claimed
from missions.services import submit_mission
from missions.tests.publishing import published_tasks

pytestmark = pytest.mark.django_db(transaction=True)  # the runner works in autocommit, like a worker


class RefusingAgent(BaseAgent):
    name = "test_refuser"

    def run(self, context: MissionContext) -> AgentResult:
        raise FatalAgentError("this domain is on a blocklist", domain="spam.example")


class CrashingAgent(BaseAgent):
    name = "test_crasher"

    def run(self, context: MissionContext) -> AgentResult:
        return AgentResult({"ratio": 1 / 0})


@pytest.fixture
def test_agents() -> Iterator[None]:
    registry.register(RefusingAgent)
    registry.register(CrashingAgent)
    yield
    registry._agents.pop(RefusingAgent.name, None)
    registry._agents.pop(CrashingAgent.name, None)


def test_fatal_agent_error_fails_on_the_first_attempt(organization, test_agents):
    mission = submit_mission(organization, mission_type="test_refuser", params={}).mission

    with published_tasks() as published:
        outcome = run_claimed(str(mission.id), worker="test")

    assert outcome == "failed"
    mission.refresh_from_db()
    assert mission.status == MissionStatus.FAILED
    assert mission.attempts == 1
    assert mission.error == {"message": "this domain is on a blocklist", "recoverable": False,
                             "type": "FatalAgentError", "details": {"domain": "spam.example"}}
    assert mission.next_attempt_at is None
    assert published == []
    assert [e.kind for e in mission.events.all()] == ["queued", "running", "failed"]
    assert AgentLog.objects.get(mission=mission).level == AgentLog.Level.ERROR


def test_unexpected_exception_fails_on_the_first_attempt(organization, test_agents):
    mission = submit_mission(organization, mission_type="test_crasher", params={}).mission

    outcome = run_claimed(str(mission.id), worker="test")

    assert outcome == "failed"
    mission.refresh_from_db()
    assert mission.attempts == 1
    assert mission.error["recoverable"] is False
    assert mission.error["message"] == "ZeroDivisionError: division by zero"
