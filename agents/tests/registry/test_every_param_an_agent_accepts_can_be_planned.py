"""Every field an agent accepts can be planned: its intent plans with the agent's own params model, and the JSON
schema the LLM is given lists every field, with a plan that uses them all validating. The params cannot drift
apart again, because they are declared once."""

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import BaseModel

from agents import registry
from agents.params import params_hint
from missions.decision import command_plan, planned_intents, planner_prompt

TODAY = date.today()
# A value each field type accepts, for a plan that uses every field (ranges: the minimum, or the default).
SAMPLES: dict[str, Any] = {
    "domain": "mail-acme.example", "attendee": "jane@acme.example", "pool": "eu-pool",
    "window_start": str(TODAY + timedelta(days=1)), "window_end": str(TODAY + timedelta(days=2)),
}


def intents_with_an_agent() -> list[str]:
    return [intent.name for intent in planned_intents() if registry.get(intent.mission_type) is not None]


def intent_named(name: str) -> Any:
    return next(intent for intent in planned_intents() if intent.name == name)


def sample(model: type[BaseModel]) -> dict[str, Any]:
    """Every field of ``model`` with a value it accepts."""
    schema = model.model_json_schema()
    values = {}
    for name, field in schema["properties"].items():
        if name in SAMPLES:
            values[name] = SAMPLES[name]
            continue
        kinds = {option.get("type") for option in field.get("anyOf", [field])}
        minimum = next((option["minimum"] for option in field.get("anyOf", [field]) if "minimum" in option), 1)
        values[name] = minimum if "integer" in kinds else True if "boolean" in kinds else "acme"
    return values


def test_every_installed_agent_but_none_is_planned_by_an_intent():
    planned = {intent.mission_type for intent in planned_intents()}

    assert set(registry.names()) - planned == set(), "an agent nobody can ask for in words or through the LLM"


@pytest.mark.parametrize("name", intents_with_an_agent())
def test_the_intent_plans_with_the_agents_own_params_model(name):
    intent = intent_named(name)
    agent = registry.get(intent.mission_type)

    assert intent.params is agent.Params, f"{name} must plan with {type(agent).__name__}.Params, not a copy"


@pytest.mark.parametrize("name", intents_with_an_agent())
def test_every_field_the_agent_accepts_is_in_the_schema_the_llm_gets(name):
    intent = intent_named(name)
    agent = registry.get(intent.mission_type)
    schema = command_plan().model_json_schema()
    variants = {variant["properties"]["type"]["const"]: variant for variant in schema["$defs"].values()
                if "const" in variant.get("properties", {}).get("type", {})}
    params_ref = variants[intent.mission_type]["properties"]["params"]["$ref"].rsplit("/", 1)[-1]
    planned_fields = schema["$defs"][params_ref]["properties"]

    assert set(agent.Params.model_fields) == set(planned_fields)
    assert schema["$defs"][params_ref].get("additionalProperties") is False, "a field the agent does not know is refused"
    for field in agent.Params.model_fields:
        assert f"`{field}`" in params_hint(intent.params) and f"`{field}`" in planner_prompt(TODAY)


@pytest.mark.parametrize("name", intents_with_an_agent())
def test_a_plan_using_every_field_validates_and_the_agent_accepts_it(name):
    intent = intent_named(name)
    agent = registry.get(intent.mission_type)
    params = sample(agent.Params)
    plan = command_plan().model_validate({
        "intent": name, "missions": [{"type": intent.mission_type, "params": params}], "confidence": 0.9})

    planned = plan.missions[0].params.model_dump(mode="json", exclude_unset=True)

    assert set(planned) == set(agent.Params.model_fields)
    assert agent.validate_params(planned) == planned, "what the LLM may plan, the agent accepts as it is"
