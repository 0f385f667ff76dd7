"""An intent an app registers (``agents.intents``) is read by the rules, suggested as a near miss, listed in help,
and plannable by the LLM — its mission type and params are in the plan's schema — without the engine naming it."""

import json
from datetime import date
from typing import Any

import pytest
from pydantic import Field

from agents import intents
from agents.intents import COUNT, Intent, Rule, number_of
from agents.params import AgentParams
from missions.decision import command_plan, decide, example_commands, planner_prompt
from missions.models import CommandDecision, Mission
from missions.services import CommandRejected

TODAY = date(2026, 11, 24)


class RefuelParams(AgentParams):
    litres: int = Field(ge=1, le=500, description="how much fuel to order")


def refuel(slots: dict[str, str], today: date) -> dict[str, Any]:
    return {"litres": number_of(slots["count"])}


REFUEL = Intent(
    name="refuel_rocket", description="order fuel for the rocket", mission_type="refuel_rocket", params=RefuelParams,
    rules=(Rule("refuel the rocket with {count} litres", "refuel the rocket with 40 litres",
                (rf"refuel (?:the )?rocket with {COUNT} litres?",), refuel),),
    vocabulary=("refuel", "rocket", "litres"),
)


@pytest.fixture
def refuel_intent():
    intents.register(REFUEL)
    yield REFUEL
    intents.unregister(REFUEL.name)


def test_the_rules_read_it(organization, refuel_intent):
    decision = decide({"command": "please refuel the rocket with twenty litres"}, organization=organization,
                      today=TODAY)

    assert (decision.layer, decision.intent) == ("rules", "refuel_rocket")
    assert [(spec.type, spec.params) for spec in decision.missions] == [("refuel_rocket", {"litres": 20})]


def test_its_params_model_checks_the_values_the_rules_read(organization, refuel_intent):
    with pytest.raises(CommandRejected) as refused:
        decide({"command": "refuel the rocket with 900 litres"}, organization=organization, today=TODAY)

    assert "litres: Input should be less than or equal to 500" in refused.value.errors["command"][0]


def test_a_slip_is_repaired_towards_it(organization, refuel_intent):
    with pytest.raises(CommandRejected) as refused:
        decide({"command": "refule the rocket with 40 litres"}, organization=organization, today=TODAY)

    assert refused.value.errors["command"][0].endswith("did you mean 'refuel the rocket with 40 litres'?")


def test_it_is_listed_and_plannable(refuel_intent):
    schema = json.dumps(command_plan().model_json_schema())

    assert "refuel the rocket with 40 litres" in example_commands()
    assert '"refuel_rocket"' in schema and '"litres"' in schema
    assert '"refuel_rocket": order fuel for the rocket' in planner_prompt(TODAY)
    plan = command_plan().model_validate({"intent": "refuel_rocket", "confidence": 0.9,
                                          "missions": [{"type": "refuel_rocket", "params": {"litres": 40}}]})
    assert plan.missions[0].params.litres == 40


def test_without_its_agent_it_is_understood_and_refused(api_client, refuel_intent):
    response = api_client.post("/api/rex/command", {"command": "refuel the rocket with 40 litres"}, format="json")

    assert response.status_code == 400
    assert "but no agent handles 'refuel_rocket' on this server yet, so nothing was queued" in response.data["command"][0]
    assert Mission.objects.count() == 0
    assert CommandDecision.objects.get().intent == "refuel_rocket"


def test_once_unregistered_it_is_gone(organization):
    assert "refuel the rocket with 40 litres" not in example_commands()
    assert '"refuel_rocket"' not in json.dumps(command_plan().model_json_schema())
