"""With no LLM injected, ``run_crew`` builds CrewAI's own ``LLM(model="openai/…", base_url=…)`` from settings and
talks to the configured OpenAI-compatible server: the fake on 127.0.0.1 receives only pseudonymised text, its
token counts are recorded, and the answer comes back restored."""

from decimal import Decimal

import pytest

from agents import llm
from agents.models import AgentLog

CONTACT = {"PERSON": ["Jane Doe"], "ORGANIZATION": ["Globex Corporation"]}

# CrewAI warns about its own deprecated internals on every run; they are not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:crewai")


def test_crew_uses_the_configured_server_with_placeholders_only(fake_openai, organization):
    fake_openai.reply("Thought: I can answer.\nFinal Answer: <PERSON_1> at <ORGANIZATION_1> should get 20 emails "
                      "a day from <EMAIL_1>.", prompt_tokens=300, completion_tokens=40)

    answer = llm.run_crew(
        organization=organization, agent="capacity_planner", role="Capacity planner",
        goal="Recommend a daily sending volume",
        backstory="You size outbound campaigns so that sender reputation survives.",
        tasks=[{"description": "Recommend a daily volume for Jane Doe of Globex Corporation, sending from {inbox}.",
                "expected_output": "One sentence."}],
        inputs={"inbox": "jane.doe@example.com"}, known_values=CONTACT, consent=True
    )

    assert answer.text == "Jane Doe at Globex Corporation should get 20 emails a day from jane.doe@example.com."
    requests = fake_openai.received("/chat/completions")
    assert requests, "CrewAI never called the configured server"
    assert all(r.headers["authorization"] == "Bearer sk-test-fake-openai" for r in requests)
    assert requests[0].body["model"] == "gpt-4o-mini"
    received = fake_openai.received_text()
    assert "<PERSON_1>" in received and "<ORGANIZATION_1>" in received and "<EMAIL_1>" in received
    for value in ("Jane", "Doe", "Globex", "jane.doe@example.com"):
        assert value not in received, f"{value!r} reached the LLM"

    row = AgentLog.objects.get(action="llm.crew")
    assert (row.llm_prompt_tokens, row.llm_completion_tokens) == (300, 40)
    assert row.llm_cost == Decimal("0.000069")  # gpt-4o-mini: 300 * 0.15 + 40 * 0.60 per million
    assert row.payload["outcome"] == "succeeded"


def test_crew_server_failure_is_a_recoverable_error(fake_openai, settings, organization):
    settings.REX_LLM_MAX_RETRIES = 0
    for _ in range(5):
        fake_openai.fail(503)

    with pytest.raises(llm.LLMCallFailed):
        llm.run_crew(organization=organization, agent="capacity_planner", role="Planner", goal="Plan",
                     backstory="Plans.", tasks=[{"description": "Plan.", "expected_output": "A plan."}], consent=True)

    row = AgentLog.objects.get(action="llm.crew")
    assert row.payload["outcome"] == "failed"
    assert row.level == AgentLog.Level.ERROR
