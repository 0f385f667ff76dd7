"""Without the contact's consent to LLM processing, nothing is sent: the caller gets LLMConsentMissing at once."""

import pytest

from agents import llm
from agents.models import AgentLog, LLMRequest
from agents.pii import LLMConsentMissing
from missions.models import Mission

MESSAGES = [{"role": "user", "content": "Write to jane.doe@example.com about the demo."}]


def test_no_consent_means_no_request_of_any_kind(fake_openai, organization):
    mission = Mission.objects.create(organization=organization, type="canary", idempotency_key="consent-test")

    with pytest.raises(LLMConsentMissing):
        llm.complete(MESSAGES, organization=organization, consent=False)
    with pytest.raises(LLMConsentMissing):
        llm.submit_async(MESSAGES, mission=mission, agent="writer", consent=False)
    with pytest.raises(LLMConsentMissing):
        llm.run_crew(organization=organization, agent="writer", role="Writer", goal="Write", backstory="Writes.",
                     tasks=[{"description": "Write to jane.doe@example.com", "expected_output": "An email"}],
                     consent=False)

    assert fake_openai.requests == []
    assert LLMRequest.objects.count() == 0
    assert AgentLog.objects.count() == 0


def test_with_consent_the_same_call_goes_out(fake_openai, organization):
    llm.complete(MESSAGES, organization=organization, consent=True)

    assert len(fake_openai.received("/chat/completions")) == 1
