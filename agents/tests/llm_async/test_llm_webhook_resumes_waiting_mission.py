"""The asynchronous LLM path end to end, in process: an agent asks through ``ask_async``, its mission parks as
``waiting``; the signed webhook stores the (restored) answer and queues the mission again; the next run of the
agent gets the answer and the mission succeeds. A failed response sends the mission down the retry path instead.
"""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from agents import llm, registry
from agents.base import AgentResult, BaseAgent, MissionContext
from agents.models import LLMRequest
from missions.models import Mission, MissionStatus
from missions.runner import run_claimed
from missions.services import submit_mission
from missions.tests.publishing import published_mission_ids, published_tasks

pytestmark = pytest.mark.django_db(transaction=True)  # the runner works in autocommit, like a worker

WEBHOOK = "/webhook/llm"


class DraftingAgent(BaseAgent):
    name = "test_llm_drafter"

    def run(self, context: MissionContext) -> AgentResult:
        contact = context.params["contact"]
        answer = llm.ask_async(
            context, [{"role": "user", "content": f"Draft a two-line reply to {contact['name']} "
                                                  f"<{contact['email']}> who asked for pricing."}],
            agent=self.name, known_values={"PERSON": [contact["name"]]}, consent=True
        )
        return AgentResult({"draft": answer.text, "tokens": answer.prompt_tokens + answer.completion_tokens})


@pytest.fixture
def drafting_agent() -> Iterator[None]:
    registry.register(DraftingAgent)
    yield
    registry._agents.pop(DraftingAgent.name, None)


@pytest.fixture
def mission(organization, drafting_agent) -> Mission:
    params = {"contact": {"name": "Jane Doe", "email": "jane.doe@example.com"}}
    return submit_mission(organization, mission_type=DraftingAgent.name, params=params).mission


def deliver(fake_openai, response_id: str, event_type: str = "response.completed"):
    body, headers = fake_openai.signed_webhook(fake_openai.response_event(response_id, event_type))
    return Client().post(WEBHOOK, data=body, content_type="application/json", headers=headers)


def test_answer_arrives_by_webhook_and_the_mission_finishes(fake_openai, mission):
    fake_openai.reply("Hi <PERSON_1>, our pricing sheet is attached.", prompt_tokens=60, completion_tokens=12)

    assert run_claimed(str(mission.id), worker="test") == "waiting"

    mission.refresh_from_db()
    assert mission.status == MissionStatus.WAITING
    request = LLMRequest.objects.get(mission=mission)
    assert request.status == LLMRequest.Status.PENDING
    [submitted] = fake_openai.received("/responses", method="POST")
    assert submitted.body["background"] is True
    assert "Jane" not in submitted.text() and "jane.doe@example.com" not in submitted.text()
    assert "<PERSON_1>" in submitted.text()
    assert mission.events.order_by("-seq").first().data["correlation_id"] == str(request.id)

    with published_tasks() as published:
        response = deliver(fake_openai, request.provider_response_id)

    assert response.status_code == 200 and response.json() == {"status": "completed"}
    mission.refresh_from_db()
    assert mission.status == MissionStatus.QUEUED
    assert published_mission_ids(published) == [str(mission.id)]
    resumed = mission.events.order_by("-seq").first()
    assert (resumed.kind, resumed.data) == ("queued", {"reason": "LLM answer arrived", "llm_request": str(request.id)})

    assert run_claimed(str(mission.id), worker="test") == "succeeded"

    mission.refresh_from_db()
    assert mission.status == MissionStatus.SUCCEEDED
    assert mission.result == {"draft": "Hi Jane Doe, our pricing sheet is attached.", "tokens": 72}
    assert len(fake_openai.received("/responses", method="POST")) == 1  # asked once, not again on the re-run
    assert llm.usage_for_mission(mission)["calls"] == 1
    assert llm.usage_for_mission(mission)["prompt_tokens"] == 60


def test_failed_response_resumes_the_mission_into_its_retry_path(fake_openai, mission):
    assert run_claimed(str(mission.id), worker="test") == "waiting"
    first = LLMRequest.objects.get(mission=mission)

    response = deliver(fake_openai, first.provider_response_id, "response.failed")

    assert response.status_code == 200 and response.json() == {"status": "failed"}
    first.refresh_from_db()
    assert first.status == LLMRequest.Status.FAILED
    mission.refresh_from_db()
    assert mission.status == MissionStatus.QUEUED

    assert run_claimed(str(mission.id), worker="test") == "retrying"
    mission.refresh_from_db()
    assert mission.error["type"] == "LLMCallFailed"
    assert mission.error["recoverable"] is True

    # The retry (made due now rather than in 2 s) asks afresh and parks again.
    Mission.objects.filter(pk=mission.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert run_claimed(str(mission.id), worker="test") == "waiting"
    assert LLMRequest.objects.filter(mission=mission).count() == 2
    assert len(fake_openai.received("/responses", method="POST")) == 2


def test_an_answer_that_beats_the_parking_is_refused_until_redelivered(fake_openai, organization, drafting_agent):
    mission = submit_mission(organization, mission_type=DraftingAgent.name,
                             params={"contact": {"name": "Jane Doe", "email": "jane.doe@example.com"}}).mission
    running = Mission.claim(mission.id, worker="test")
    request = llm.submit_async([{"role": "user", "content": "Draft."}], mission=running, agent=DraftingAgent.name,
                               consent=True)
    body, headers = fake_openai.signed_webhook(fake_openai.response_event(request.provider_response_id))

    early = Client().post(WEBHOOK, data=body, content_type="application/json", headers=headers)

    assert early.status_code == 409
    request.refresh_from_db()
    assert request.status == LLMRequest.Status.PENDING

    running.mark_waiting(reason="LLM answer", correlation_id=str(request.id), timeout_seconds=60)
    redelivered = Client().post(WEBHOOK, data=body, content_type="application/json", headers=headers)

    assert redelivered.status_code == 200 and redelivered.json() == {"status": "completed"}
    running.refresh_from_db()
    assert running.status == MissionStatus.QUEUED
