"""When a mission runs again while its asynchronous request is still pending (its wait expired), the gateway
abandons that request (``expired``) and asks afresh; a late answer to the abandoned request changes nothing."""

import pytest
from django.test import Client

from agents import llm
from agents.base import AwaitExternal, MissionContext
from agents.models import AgentLog, LLMRequest
from missions.models import Mission

MESSAGES = [{"role": "user", "content": "Classify this reply: 'please remove me'."}]


def test_pending_request_is_expired_and_asked_again(fake_openai, organization):
    mission = Mission.objects.create(organization=organization, type="canary", idempotency_key="expired-wait")
    context = MissionContext(mission)

    with pytest.raises(AwaitExternal) as first_wait:
        llm.ask_async(context, MESSAGES, agent="classifier", consent=True)
    with pytest.raises(AwaitExternal) as second_wait:
        llm.ask_async(context, MESSAGES, agent="classifier", consent=True)

    first = LLMRequest.objects.get(pk=first_wait.value.correlation_id)
    second = LLMRequest.objects.get(pk=second_wait.value.correlation_id)
    assert first.status == LLMRequest.Status.EXPIRED
    assert second.status == LLMRequest.Status.PENDING
    assert first.prompt_hash == second.prompt_hash
    assert len(fake_openai.received("/responses", method="POST")) == 2

    body, headers = fake_openai.signed_webhook(fake_openai.response_event(first.provider_response_id))
    late = Client().post("/webhook/llm", data=body, content_type="application/json", headers=headers)

    assert late.json() == {"status": "already_processed"}
    assert not AgentLog.objects.filter(action="llm.async").exists()
    second.refresh_from_db()
    assert second.status == LLMRequest.Status.PENDING
