"""The step that raises is audited with its error and level; a non-recoverable error fails the mission at once,
its error saying ``"recoverable": false`` and why."""

from collections.abc import Iterator
from typing import Any

import pytest

from agents import registry
from agents.base import BaseAgent, FatalAgentError, MissionContext, RecoverableAgentError
from agents.models import AgentLog
from missions.models import MissionStatus
from missions.runner import run_claimed
from missions.services import submit_mission

pytestmark = pytest.mark.django_db(transaction=True)


class BlocklistAgent(BaseAgent):
    name = "test_blocklist"

    def decide(self, context: MissionContext, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("domain") == "spam.example":
            raise FatalAgentError("spam.example is on the blocklist", domain="spam.example")
        return params

    def execute(self, context: MissionContext, plan: dict[str, Any]) -> dict[str, Any]:
        raise RecoverableAgentError("provider timed out")


@pytest.fixture
def blocklist() -> Iterator[None]:
    registry.register(BlocklistAgent)
    yield
    registry.unregister(BlocklistAgent.name)


def test_fatal_error_in_decide_is_audited_on_decide_and_fails_at_once(organization, blocklist):
    mission = submit_mission(organization, mission_type="test_blocklist", params={"domain": "spam.example"}).mission

    assert run_claimed(str(mission.id), worker="test") == "failed"

    mission.refresh_from_db()
    assert mission.status == MissionStatus.FAILED
    assert mission.attempts == 1
    assert mission.error["recoverable"] is False
    assert mission.error["message"] == "spam.example is on the blocklist"
    rows = list(AgentLog.objects.filter(mission=mission).order_by("id"))
    assert [(row.action, row.level) for row in rows] == [
        ("validate", "info"), ("decide", "error"), ("run", "error")]
    assert rows[1].payload["error"]["recoverable"] is False


def test_recoverable_error_in_execute_is_audited_as_a_warning_and_retried(organization, blocklist):
    mission = submit_mission(organization, mission_type="test_blocklist", params={"domain": "ok.example"}).mission

    assert run_claimed(str(mission.id), worker="test") == "retrying"

    rows = list(AgentLog.objects.filter(mission=mission).order_by("id"))
    assert [(row.action, row.level) for row in rows] == [
        ("validate", "info"), ("decide", "info"), ("execute", "warning"), ("run", "warning")]
    assert rows[2].payload["error"] == {"message": "provider timed out", "recoverable": True,
                                        "type": "RecoverableAgentError"}
