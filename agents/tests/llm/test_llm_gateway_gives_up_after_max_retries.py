"""After REX_LLM_MAX_RETRIES retries the gateway gives up with LLMCallFailed, a recoverable error (the mission's
own retry takes over), and still writes the audit row."""

import socket

import pytest

from agents import llm
from agents.models import AgentLog

MESSAGES = [{"role": "user", "content": "Suggest a subject line."}]


def test_gives_up_after_the_configured_retries(fake_openai, settings, organization):
    settings.REX_LLM_MAX_RETRIES = 2
    settings.REX_LLM_MAX_RETRY_WAIT_SECONDS = 0.05
    for _ in range(3):
        fake_openai.fail(503)
    fake_openai.reply("never asked for")

    with pytest.raises(llm.LLMCallFailed) as raised:
        llm.complete(MESSAGES, organization=organization, agent="writer", consent=True)

    assert raised.value.recoverable is True
    assert "after 2 retries" in str(raised.value)
    assert len(fake_openai.received("/chat/completions")) == 3
    row = AgentLog.objects.get(action="llm.complete")
    assert row.level == AgentLog.Level.ERROR
    assert row.payload["outcome"] == "failed"
    assert row.payload["retries"] == [{"status": 503, "waited_s": 0.05}, {"status": 503, "waited_s": 0.05}]
    assert (row.llm_prompt_tokens, row.llm_completion_tokens, row.llm_cost) == (0, 0, 0)


def test_unreachable_server_is_a_recoverable_failure(settings, organization):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_BASE_URL = f"http://127.0.0.1:{port}/v1"
    settings.REX_LLM_MAX_RETRIES = 1
    settings.REX_LLM_MAX_RETRY_WAIT_SECONDS = 0.05

    with pytest.raises(llm.LLMCallFailed, match="connection"):
        llm.complete(MESSAGES, organization=organization, consent=True)

    row = AgentLog.objects.get(action="llm.complete")
    assert row.payload["retries"] == [{"status": "connection_error", "waited_s": 0.05}]


def test_a_rejected_request_fails_at_once_and_is_not_retried(fake_openai, organization):
    fake_openai.fail(400, message="Invalid 'messages': empty content")

    with pytest.raises(llm.LLMRequestRejected, match="HTTP 400: Invalid 'messages'") as raised:
        llm.complete(MESSAGES, organization=organization, consent=True)

    assert raised.value.recoverable is False
    assert len(fake_openai.received("/chat/completions")) == 1
    assert AgentLog.objects.get(action="llm.complete").payload["retries"] == []
