"""A background request the provider refuses to take (5xx after retries) fails the attempt with LLMCallFailed;
the mission's retry then submits afresh instead of reporting the same failure again."""

import pytest

from agents import llm
from agents.base import AwaitExternal, MissionContext
from agents.models import AgentLog, LLMRequest
from missions.models import Mission

MESSAGES = [{"role": "user", "content": "Classify this reply: 'call me next week'."}]


def test_failed_submission_is_reported_once_then_asked_again(fake_openai, settings, organization):
    settings.REX_LLM_MAX_RETRIES = 1
    settings.REX_LLM_MAX_RETRY_WAIT_SECONDS = 0.05
    fake_openai.fail(503)
    fake_openai.fail(503)
    mission = Mission.objects.create(organization=organization, type="canary", idempotency_key="submit-fails")
    context = MissionContext(mission)

    with pytest.raises(llm.LLMCallFailed):
        llm.ask_async(context, MESSAGES, agent="classifier", consent=True)

    failed = LLMRequest.objects.get(mission=mission)
    assert failed.status == LLMRequest.Status.FAILED
    assert failed.provider_response_id is None
    submit_row = AgentLog.objects.get(action="llm.submit")
    assert submit_row.payload["outcome"] == "failed"
    assert submit_row.payload["retries"] == [{"status": 503, "waited_s": 0.05}]

    with pytest.raises(AwaitExternal):
        llm.ask_async(context, MESSAGES, agent="classifier", consent=True)

    assert LLMRequest.objects.filter(mission=mission, status=LLMRequest.Status.PENDING).count() == 1
    assert len(fake_openai.received("/responses", method="POST")) == 3
