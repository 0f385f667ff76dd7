"""A structured answer gets its real values back in every string, however deeply nested (keys included), before it
is validated; a placeholder the call never issued, anywhere in it, makes the whole answer invalid (logged as
``invalid_output``), whether the answer came back at once or through the asynchronous path."""

import json

import pydantic
import pytest

from agents import llm
from agents.base import MissionContext
from agents.models import AgentLog
from missions.models import Mission

MESSAGES = [{"role": "user", "content": "Plan outreach to jane.doe@globex.example, +44 20 7946 0958, "
                                        "IBAN DE89 3704 0044 0532 0130 00."}]
REAL = {"<EMAIL_1>": "jane.doe@globex.example", "<PHONE_1>": "+44 20 7946 0958",
        "<IBAN_1>": "DE89 3704 0044 0532 0130 00"}


class Step(pydantic.BaseModel):
    to: list[str]
    notes: dict[str, str]


class Outreach(pydantic.BaseModel):
    steps: list[Step]


def test_every_string_is_restored_before_validation(fake_openai, organization):
    fake_openai.reply(json.dumps({"steps": [{"to": ["<EMAIL_1>", "<PHONE_1>"],
                                             "notes": {"<EMAIL_1>": "refund to <IBAN_1>"}}]}))

    answer = llm.complete(MESSAGES, organization=organization, schema=Outreach, consent=True)

    assert answer.parsed == Outreach(steps=[Step(to=[REAL["<EMAIL_1>"], REAL["<PHONE_1>"]],
                                                 notes={REAL["<EMAIL_1>"]: f"refund to {REAL['<IBAN_1>']}"})])
    for value in REAL.values():
        assert value not in fake_openai.received_text()


def test_an_unissued_placeholder_deep_inside_refuses_the_answer(fake_openai, organization):
    fake_openai.reply(json.dumps({"steps": [{"to": ["<EMAIL_1>"], "notes": {"cc": "<EMAIL_7>"}}]}))

    with pytest.raises(llm.LLMInvalidOutput) as raised:
        llm.complete(MESSAGES, organization=organization, schema=Outreach, consent=True)

    assert str(raised.value).startswith("The LLM's answer cannot be read as Outreach: it uses <EMAIL_7>, a placeholder "
                                        "this request never sent (it sent: <EMAIL_1>, <PHONE_1>, <IBAN_1>)")
    assert raised.value.details == {"placeholders": ["<EMAIL_7>"], "schema": "Outreach"}
    assert AgentLog.objects.get(action="llm.complete").payload["outcome"] == "invalid_output"


def test_the_asynchronous_answer_is_held_to_the_same_rule(fake_openai, organization):
    fake_openai.supports_background = False  # answered at once: the same parse as after a webhook
    fake_openai.reply(json.dumps({"steps": [{"to": ["<PHONE_2>"], "notes": {}}]}))
    mission = Mission.objects.create(organization=organization, type="canary", idempotency_key="async-unissued")
    running = Mission.claim(mission.id, worker="test")

    with pytest.raises(llm.LLMInvalidOutput, match="it uses <PHONE_2>, a placeholder this request never sent"):
        llm.ask_async(MissionContext(running), MESSAGES, agent="planner", schema=Outreach, consent=True)
