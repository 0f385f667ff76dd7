"""A compatible server without background mode answers ``POST /v1/responses`` at once: ``ask_async`` then returns
the (restored) answer straight away instead of parking the mission for a webhook that will never come."""

from agents import llm
from agents.base import MissionContext
from agents.models import AgentLog, LLMRequest
from missions.models import Mission


def test_immediate_answer_is_returned_without_waiting(fake_openai, organization):
    fake_openai.supports_background = False
    fake_openai.reply("Sent to <EMAIL_1>.", prompt_tokens=30, completion_tokens=4)
    mission = Mission.objects.create(organization=organization, type="canary", idempotency_key="no-background")

    answer = llm.ask_async(MissionContext(mission), [{"role": "user", "content": "Confirm to jane.doe@example.com"}],
                           agent="confirmer", consent=True)

    assert answer.text == "Sent to jane.doe@example.com."
    assert (answer.prompt_tokens, answer.completion_tokens) == (30, 4)
    request = LLMRequest.objects.get(mission=mission)
    assert request.status == LLMRequest.Status.COMPLETED
    assert request.raw_answer == "Sent to <EMAIL_1>."
    assert list(AgentLog.objects.filter(mission=mission).order_by("id").values_list("action", flat=True)) == [
        "llm.submit", "llm.async"]
    assert fake_openai.received(method="GET") == []
