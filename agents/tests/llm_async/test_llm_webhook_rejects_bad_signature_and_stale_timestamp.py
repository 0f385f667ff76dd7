"""``POST /webhook/llm`` accepts only deliveries signed with our secret (Standard Webhooks, as OpenAI signs them)
and fresh within the replay window; anything else is a 400 with a JSON error, and nothing changes."""

import time

import pytest
from django.test import Client

from agents import llm
from agents.models import AgentLog, LLMRequest
from missions.models import Mission

WEBHOOK = "/webhook/llm"


@pytest.fixture
def pending(fake_openai, organization) -> LLMRequest:
    mission = Mission.objects.create(organization=organization, type="canary", idempotency_key="webhook-sig")
    return llm.submit_async([{"role": "user", "content": "Draft a reply."}], mission=mission, agent="writer", consent=True)


def post(body: bytes, headers: dict[str, str]):
    return Client().post(WEBHOOK, data=body, content_type="application/json", headers=headers)


def assert_nothing_changed(fake_openai, pending: LLMRequest) -> None:
    pending.refresh_from_db()
    assert pending.status == LLMRequest.Status.PENDING
    assert pending.answer == ""
    assert not AgentLog.objects.filter(action="llm.async").exists()
    assert fake_openai.received(method="GET") == []


def test_wrong_secret_is_rejected(fake_openai, pending):
    event = fake_openai.response_event(pending.provider_response_id)
    body, headers = fake_openai.signed_webhook(event, "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=")

    response = post(body, headers)

    assert response.status_code == 400
    assert response.json() == {"error": "rejected: The given webhook signature does not match the expected "
                                        "signature"}
    assert_nothing_changed(fake_openai, pending)


def test_tampered_body_is_rejected(fake_openai, pending):
    body, headers = fake_openai.signed_webhook(fake_openai.response_event(pending.provider_response_id))

    response = post(body.replace(b"response.completed", b"response.failed"), headers)

    assert response.status_code == 400
    assert_nothing_changed(fake_openai, pending)


def test_missing_signature_is_rejected(fake_openai, pending):
    body, headers = fake_openai.signed_webhook(fake_openai.response_event(pending.provider_response_id))
    del headers["webhook-signature"]

    response = post(body, headers)

    assert response.status_code == 400
    assert "webhook-signature" in response.json()["error"]
    assert_nothing_changed(fake_openai, pending)


def test_stale_timestamp_is_rejected(fake_openai, settings, pending):
    settings.REX_LLM_WEBHOOK_TOLERANCE_SECONDS = 60
    event = fake_openai.response_event(pending.provider_response_id)
    body, headers = fake_openai.signed_webhook(event, timestamp=int(time.time()) - 120)

    response = post(body, headers)

    assert response.status_code == 400
    assert response.json() == {"error": "rejected: Webhook timestamp is too old"}
    assert_nothing_changed(fake_openai, pending)


def test_timestamp_from_the_future_is_rejected(fake_openai, pending):
    event = fake_openai.response_event(pending.provider_response_id)
    body, headers = fake_openai.signed_webhook(event, timestamp=int(time.time()) + 3600)

    assert post(body, headers).status_code == 400
    assert_nothing_changed(fake_openai, pending)


def test_a_correctly_signed_fresh_delivery_is_accepted(fake_openai, pending):
    body, headers = fake_openai.signed_webhook(fake_openai.response_event(pending.provider_response_id))

    response = post(body, headers)

    assert response.status_code == 200
    assert response.json() == {"status": "completed"}


def test_unknown_response_id_is_not_found(fake_openai, pending):
    body, headers = fake_openai.signed_webhook(fake_openai.response_event("resp_not_ours"))

    response = post(body, headers)

    assert response.status_code == 404
    assert response.json() == {"error": "no LLM request with response id 'resp_not_ours'"}
    assert_nothing_changed(fake_openai, pending)
