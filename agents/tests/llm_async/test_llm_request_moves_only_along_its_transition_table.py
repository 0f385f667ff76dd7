"""An ``LLMRequest`` is asked once and settled once: pending → completed, failed or expired, and nothing after.

Every move is a conditional update, so of two actors holding the same pending request (a webhook delivered twice,
or a delivery racing the retry that abandons the request) exactly one wins; the loser gets False, writes no audit
row and resumes nothing.
"""

from decimal import Decimal

import pytest
from django.test import Client

from agents import llm
from agents.llm.client import client
from agents.models import AgentLog, LLMRequest
from core.statemachine import IllegalTransition
from missions.models import Mission, MissionStatus

ANSWER = {"raw_answer": "Hi <PERSON_1>", "answer": "Hi Jane", "model": "gpt-4o-mini", "prompt_tokens": 10,
          "completion_tokens": 2, "cost": Decimal("0.000003")}


@pytest.fixture
def mission(organization) -> Mission:
    return Mission.objects.create(organization=organization, type="canary", idempotency_key="llm-request-moves")


@pytest.fixture
def pending(organization, mission) -> LLMRequest:
    return LLMRequest.objects.create(organization=organization, mission=mission, agent="drafter", prompt_hash="h")


def test_only_a_pending_request_may_move_and_every_other_state_is_final():
    table = LLMRequest.moves

    assert table.allowed(LLMRequest.Status.PENDING) == {"completed", "failed", "expired"}
    assert table.final_states == {"completed", "failed", "expired"}


def test_completing_stores_the_answer_tokens_and_cost(pending):
    assert pending.complete(**ANSWER) is True

    pending.refresh_from_db()
    assert pending.status == LLMRequest.Status.COMPLETED
    assert (pending.answer, pending.raw_answer, pending.prompt_tokens, pending.cost) == (
        "Hi Jane", "Hi <PERSON_1>", 10, Decimal("0.000003"))
    assert pending.completed_at is not None


def test_a_settled_request_cannot_move_again(pending):
    pending.fail({"message": "the background response ended failed"})

    with pytest.raises(IllegalTransition, match="from failed"):
        pending.complete(**ANSWER)
    with pytest.raises(IllegalTransition):
        pending.expire()
    pending.refresh_from_db()
    assert pending.status == LLMRequest.Status.FAILED


def test_the_loser_of_a_race_gets_false_and_its_audit_hook_never_runs(pending):
    webhook = LLMRequest.objects.get(pk=pending.pk)
    retry = LLMRequest.objects.get(pk=pending.pk)
    hooks: list[tuple[str, str]] = []

    assert retry.expire() is True
    assert webhook.complete(**ANSWER, on_transition=lambda *move: hooks.append(move)) is False

    assert hooks == []
    pending.refresh_from_db()
    assert pending.status == LLMRequest.Status.EXPIRED
    assert pending.answer == ""


def test_the_winner_runs_its_audit_hook_once_in_the_move(pending):
    hooks: list[tuple[str, str]] = []

    assert pending.fail({"message": "gave up"}, on_transition=lambda *move: hooks.append(move)) is True

    assert hooks == [("pending", "failed")]


def test_a_failure_is_marked_reported_only_while_the_request_is_failed(pending):
    assert pending.mark_failure_reported() is False

    pending.fail({"message": "gave up"})

    assert pending.mark_failure_reported() is True
    pending.refresh_from_db()
    assert pending.failure_reported and pending.error["message"] == "gave up"


def test_an_answer_recorded_twice_is_logged_and_resumes_the_mission_once(fake_openai, mission):
    request = llm.submit_async([{"role": "user", "content": "Draft."}], mission=mission, agent="drafter", consent=True)
    Mission.objects.filter(pk=mission.pk).update(status=MissionStatus.WAITING)
    with client() as openai_client:
        response = openai_client.responses.retrieve(request.provider_response_id)
    first_copy, second_copy = (LLMRequest.objects.get(pk=request.pk) for _ in range(2))

    outcomes = [llm.record_async_answer(copy, response, event_type="response.completed")
                for copy in (first_copy, second_copy)]

    assert outcomes == ["completed", "already_processed"]
    assert AgentLog.objects.filter(action="llm.async").count() == 1
    assert list(mission.events.filter(kind="queued").values_list("data__reason", flat=True)) == ["LLM answer arrived"]


def test_a_webhook_delivered_twice_under_two_delivery_ids_completes_the_request_once(fake_openai, mission):
    request = llm.submit_async([{"role": "user", "content": "Draft."}], mission=mission, agent="drafter", consent=True)
    Mission.objects.filter(pk=mission.pk).update(status=MissionStatus.WAITING)
    event = fake_openai.response_event(request.provider_response_id)

    answers = []
    for _ in range(2):  # each delivery signed under its own id, so the replay guard cannot tell them apart
        body, headers = fake_openai.signed_webhook(event)
        answers.append(Client().post("/webhook/llm", data=body, content_type="application/json",
                                     headers=headers).json())

    assert answers == [{"status": "completed"}, {"status": "already_processed"}]
    assert AgentLog.objects.filter(action="llm.async").count() == 1
    assert mission.events.filter(kind="queued").count() == 1
    request.refresh_from_db()
    assert request.status == LLMRequest.Status.COMPLETED
