"""Without an API key (or with the LLM switched off) the gateway says "unavailable" and calls nobody."""

import pytest

from agents import llm
from agents.models import AgentLog, LLMRequest
from missions.models import Mission

MESSAGES = [{"role": "user", "content": "Suggest a subject line."}]


@pytest.fixture
def mission(organization) -> Mission:
    return Mission.objects.create(organization=organization, type="canary", idempotency_key="unavailable-test")


def test_no_key_means_unavailable_and_no_request_leaves(fake_openai, settings, organization, mission):
    settings.OPENAI_API_KEY = ""

    assert llm.is_available() is False
    with pytest.raises(llm.LLMUnavailable, match="OPENAI_API_KEY"):
        llm.complete(MESSAGES, organization=organization, consent=True)
    with pytest.raises(llm.LLMUnavailable):
        llm.submit_async(MESSAGES, mission=mission, agent="planner", consent=True)
    with pytest.raises(llm.LLMUnavailable):
        llm.run_crew(organization=organization, agent="planner", role="Planner", goal="Plan", backstory="Plans.",
                     tasks=[{"description": "Plan a warmup", "expected_output": "A plan"}], consent=True)

    assert fake_openai.requests == []
    assert AgentLog.objects.count() == 0
    assert LLMRequest.objects.count() == 0


def test_disabled_llm_is_unavailable_even_with_a_key(fake_openai, settings, organization):
    settings.REX_LLM_ENABLED = False

    assert llm.is_available() is False
    with pytest.raises(llm.LLMUnavailable, match="disabled"):
        llm.complete(MESSAGES, organization=organization, consent=True)
    assert fake_openai.requests == []


def test_a_configured_key_makes_it_available(fake_openai):
    assert llm.is_available() is True
