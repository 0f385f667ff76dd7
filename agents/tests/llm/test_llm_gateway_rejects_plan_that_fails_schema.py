"""With a schema, the LLM is asked for JSON matching it; an answer that does not match is refused with a readable
explanation (LLMInvalidOutput, fatal) and logged; a matching answer comes back parsed, real values restored."""

from typing import Literal

import pydantic
import pytest

from agents import llm
from agents.models import AgentLog


class Step(pydantic.BaseModel):
    action: Literal["send", "wait"]
    days: int = pydantic.Field(ge=0)


class Plan(pydantic.BaseModel):
    greeting: str
    steps: list[Step]


MESSAGES = [{"role": "user", "content": "Plan a 2-step follow-up for Jane Doe."}]
CONTACT = {"PERSON": ["Jane Doe"]}


def test_answer_that_fails_the_schema_is_rejected_with_the_fields_named(fake_openai, organization):
    fake_openai.reply('{"greeting": "Hi <PERSON_1>", "steps": [{"action": "teleport", "days": "soon"}]}',
                      prompt_tokens=80, completion_tokens=30)

    with pytest.raises(llm.LLMInvalidOutput) as raised:
        llm.complete(MESSAGES, organization=organization, agent="planner", schema=Plan, known_values=CONTACT, consent=True)

    explanation = str(raised.value)
    assert explanation.startswith("The LLM's answer does not match Plan: 2 fields were wrong")
    assert "'steps.0.action': Input should be 'send' or 'wait'" in explanation
    assert "'steps.0.days': Input should be a valid integer" in explanation
    assert "\n" not in explanation
    assert "Jane" not in explanation
    assert raised.value.recoverable is False

    row = AgentLog.objects.get(action="llm.complete")
    assert row.level == AgentLog.Level.ERROR
    assert row.payload["outcome"] == "invalid_output"
    assert row.payload["error"]["message"] == explanation
    assert (row.llm_prompt_tokens, row.llm_completion_tokens) == (80, 30)


def test_answer_that_is_not_json_is_rejected(fake_openai, organization):
    fake_openai.reply("Sure! Here is your plan: send, then wait.")

    with pytest.raises(llm.LLMInvalidOutput, match="not valid JSON, so it cannot be read as Plan"):
        llm.complete(MESSAGES, organization=organization, schema=Plan, consent=True)


def test_the_schema_is_requested_and_a_matching_answer_is_parsed(fake_openai, organization):
    fake_openai.reply('{"greeting": "Hi <PERSON_1>", "steps": [{"action": "send", "days": 0}, '
                      '{"action": "wait", "days": 3}]}')

    answer = llm.complete(MESSAGES, organization=organization, schema=Plan, known_values=CONTACT, consent=True)

    assert answer.parsed == Plan(greeting="Hi Jane Doe", steps=[Step(action="send", days=0),
                                                                 Step(action="wait", days=3)])
    [sent] = fake_openai.received("/chat/completions")
    assert sent.body["response_format"] == {"type": "json_object"}
    system = sent.body["messages"][0]
    assert system["role"] == "system"
    assert '"steps"' in system["content"] and "JSON schema" in system["content"]
