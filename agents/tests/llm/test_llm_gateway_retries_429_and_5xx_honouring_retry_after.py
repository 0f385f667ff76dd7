"""429 and 5xx answers are retried after the wait the server asked for (Retry-After, retry-after-ms, or an HTTP
date), and the audit row lists every wait taken."""

import email.utils
import time

from agents import llm
from agents.models import AgentLog

MESSAGES = [{"role": "user", "content": "Suggest a subject line."}]


def test_waits_what_the_server_asks_then_succeeds(fake_openai, organization):
    fake_openai.fail(429, retry_after="1")
    fake_openai.fail(503, retry_after_ms="250")
    fake_openai.reply("Quick question", prompt_tokens=12, completion_tokens=3)

    answer = llm.complete(MESSAGES, organization=organization, agent="writer", consent=True)

    assert answer.text == "Quick question"
    assert answer.retries == [{"status": 429, "waited_s": 1.0}, {"status": 503, "waited_s": 0.25}]
    assert len(fake_openai.received("/chat/completions")) == 3
    row = AgentLog.objects.get(action="llm.complete")
    assert row.payload["retries"] == [{"status": 429, "waited_s": 1.0}, {"status": 503, "waited_s": 0.25}]
    assert row.payload["outcome"] == "succeeded"
    assert (row.llm_prompt_tokens, row.llm_completion_tokens) == (12, 3)


def test_retry_after_as_an_http_date_is_honoured(fake_openai, organization):
    fake_openai.fail(429, retry_after=email.utils.formatdate(time.time() + 2, usegmt=True))
    fake_openai.reply("ok")

    answer = llm.complete(MESSAGES, organization=organization, consent=True)

    [retry] = answer.retries
    assert retry["status"] == 429
    assert 0 < retry["waited_s"] <= 2


def test_server_asked_wait_is_capped(fake_openai, settings, organization):
    settings.REX_LLM_MAX_RETRY_WAIT_SECONDS = 0.1
    fake_openai.fail(429, retry_after="3600")
    fake_openai.reply("ok")

    answer = llm.complete(MESSAGES, organization=organization, consent=True)

    assert answer.retries == [{"status": 429, "waited_s": 0.1}]


def test_without_retry_after_the_wait_doubles_from_one_second(fake_openai, organization):
    fake_openai.fail(500)
    fake_openai.fail(502)
    fake_openai.reply("ok")

    answer = llm.complete(MESSAGES, organization=organization, consent=True)

    assert answer.retries == [{"status": 500, "waited_s": 1.0}, {"status": 502, "waited_s": 2.0}]
