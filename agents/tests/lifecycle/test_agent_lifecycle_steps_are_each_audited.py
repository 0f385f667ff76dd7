"""An agent's validate → decide → execute → report steps each leave an AgentLog row, redacted, with the attempt's
summary row; the agent code writes none of them itself."""

from collections.abc import Iterator
from typing import Any, Literal

import pytest
from pydantic import Field

from agents import registry
from agents.base import BaseAgent, MissionContext
from agents.models import AgentLog
from agents.params import AgentParams
from missions.models import MissionStatus
from missions.runner import run_claimed
from missions.services import submit_mission

pytestmark = pytest.mark.django_db(transaction=True)


class GreetingParams(AgentParams):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    tone: Literal["warm", "formal"] = "warm"


class GreetingAgent(BaseAgent):
    name = "test_greeter"
    version = "2.1"
    Params = GreetingParams

    def decide(self, context: MissionContext, params: dict[str, Any]) -> dict[str, Any]:
        return {"opening": "Hi" if params["tone"] == "warm" else "Dear", "to": params["email"]}

    def execute(self, context: MissionContext, plan: dict[str, Any]) -> dict[str, Any]:
        return {"text": f"{plan['opening']} {plan['to']}"}


@pytest.fixture
def greeter() -> Iterator[None]:
    registry.register(GreetingAgent)
    yield
    registry.unregister(GreetingAgent.name)


def test_each_lifecycle_step_writes_one_redacted_audit_row(organization, greeter):
    mission = submit_mission(organization, mission_type="test_greeter", params={"email": "jane@acme.example"}).mission

    assert run_claimed(str(mission.id), worker="test") == "succeeded"

    mission.refresh_from_db()
    assert mission.status == MissionStatus.SUCCEEDED
    assert mission.result == {"text": "Hi jane@acme.example"}
    rows = list(AgentLog.objects.filter(mission=mission).order_by("id"))
    assert [row.action for row in rows] == ["validate", "decide", "execute", "report", "run"]
    assert {row.agent for row in rows} == {"test_greeter"}
    assert {row.attempt for row in rows} == {1}
    assert rows[-1].payload == {"outcome": "succeeded"}
    # Redacted wherever the address appears: params, plan and result.
    assert rows[0].payload == {"params": {"email": "<REDACTED>", "tone": "warm"}}
    assert rows[1].payload == {"plan": {"opening": "Hi", "to": "<EMAIL_1>"}}
    assert rows[3].payload == {"result": {"text": "Hi <EMAIL_1>"}}
    assert all(row.level == AgentLog.Level.INFO for row in rows)
