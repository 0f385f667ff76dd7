"""A webhook delivery seen before (same ``webhook-id``) is answered ``duplicate`` and does nothing twice; a second
delivery about an answer already stored changes nothing either."""

from django.test import Client

from agents import llm
from agents.models import AgentLog, LLMRequest
from missions.models import Mission

WEBHOOK = "/webhook/llm"


def test_replayed_delivery_is_processed_once(fake_openai, organization):
    mission = Mission.objects.create(organization=organization, type="canary", idempotency_key="webhook-replay")
    fake_openai.reply("Thanks, <PERSON_1>!", prompt_tokens=50, completion_tokens=5)
    request = llm.submit_async([{"role": "user", "content": "Thank Jane Doe."}], mission=mission, agent="writer",
                               known_values={"PERSON": ["Jane Doe"]}, consent=True)
    body, headers = fake_openai.signed_webhook(fake_openai.response_event(request.provider_response_id))
    client = Client()

    first = client.post(WEBHOOK, data=body, content_type="application/json", headers=headers)
    replay = client.post(WEBHOOK, data=body, content_type="application/json", headers=headers)

    assert first.status_code == 200 and first.json() == {"status": "completed"}
    assert replay.status_code == 200 and replay.json() == {"status": "duplicate"}
    request.refresh_from_db()
    assert request.status == LLMRequest.Status.COMPLETED
    assert request.answer == "Thanks, Jane Doe!"
    assert AgentLog.objects.filter(action="llm.async").count() == 1
    assert len(fake_openai.received(method="GET")) == 1

    # Another delivery (new id) of the same event finds the answer already stored.
    body, headers = fake_openai.signed_webhook(fake_openai.response_event(request.provider_response_id))
    again = client.post(WEBHOOK, data=body, content_type="application/json", headers=headers)

    assert again.status_code == 200 and again.json() == {"status": "already_processed"}
    assert AgentLog.objects.filter(action="llm.async").count() == 1
    assert len(fake_openai.received(method="GET")) == 1
    assert llm.usage_for_mission(mission) == {"calls": 1, "prompt_tokens": 50, "completion_tokens": 5,
                                              "cost": "0.000011"}
