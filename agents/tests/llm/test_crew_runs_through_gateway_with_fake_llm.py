"""``run_crew`` drives a real CrewAI crew; with an in-process ``crewai.BaseLLM`` fake the crew needs no server.

The fake sees exactly what CrewAI would send a provider: the test checks it was pseudonymised, that the final
answer comes back restored, and that the fake's token counts land on the audit row with their cost.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from agents import llm
from agents.models import AgentLog
from missions.models import Mission

CONTACT = {"PERSON": ["Jane Doe"]}

# CrewAI warns about its own deprecated internals on every run; they are not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:crewai")


@pytest.fixture
def fake_llm_class() -> type:
    llm._prepare_crewai_env()
    from crewai import BaseLLM

    class FakeCrewLLM(BaseLLM):
        """Answers every call with a final answer and counts 100 prompt + 20 completion tokens per call."""

        answer: str = "Final Answer: done"
        seen: list[Any] = []

        def call(self, messages: Any, tools: Any = None, callbacks: Any = None, available_functions: Any = None,
                 from_task: Any = None, from_agent: Any = None, response_model: Any = None) -> str:
            self.seen.append(messages)
            self._track_token_usage_internal({"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120})
            return self.answer

        def supports_function_calling(self) -> bool:
            return False

        def supports_stop_words(self) -> bool:
            return False

        def get_context_window_size(self) -> int:
            return 8192

    return FakeCrewLLM


def test_crew_sees_placeholders_and_returns_restored_output(organization, settings, fake_llm_class):
    settings.OPENAI_API_KEY = ""  # an injected LLM needs no key, and nothing may reach the network
    mission = Mission.objects.create(organization=organization, type="canary", idempotency_key="crew-fake")
    fake = fake_llm_class(model="gpt-4o-mini", answer="Thought: I know it.\nFinal Answer: Dear <PERSON_1>, "
                                                      "your inbox at <EMAIL_1> is warmed up.")

    answer = llm.run_crew(
        organization=organization, mission=mission, agent="warmup_reporter", role="Deliverability analyst",
        goal="Explain warmup progress to the customer",
        backstory="You report on inbox warmup in plain words.",
        tasks=[{"description": "Summarise the warmup of {inbox} for Jane Doe.",
                "expected_output": "Two sentences addressed to the customer."}],
        inputs={"inbox": "jane.doe@example.com"}, known_values=CONTACT, llm=fake, consent=True
    )

    assert answer.text == "Dear Jane Doe, your inbox at jane.doe@example.com is warmed up."
    seen = repr(fake.seen)
    assert "<PERSON_1>" in seen and "<EMAIL_1>" in seen
    assert "Jane" not in seen and "jane.doe@example.com" not in seen
    assert (answer.prompt_tokens, answer.completion_tokens) == (100 * len(fake.seen), 20 * len(fake.seen))
    row = AgentLog.objects.get(action="llm.crew")
    assert row.mission == mission and row.agent == "warmup_reporter"
    assert (row.llm_prompt_tokens, row.llm_completion_tokens) == (answer.prompt_tokens, answer.completion_tokens)
    assert row.llm_cost == answer.cost == llm.cost_of("gpt-4o-mini", answer.prompt_tokens, answer.completion_tokens)
    assert row.llm_cost > Decimal(0)
    assert "Jane" not in str(row.payload)
    assert llm.usage_for_mission(mission)["calls"] == 1
