"""A server without background mode answers ``POST /v1/responses`` at once, while the mission's attempt is running:
that attempt is the one asking, so ``ask_async`` returns the answer; the "not parked yet" refusal is for webhooks."""

from agents import llm
from agents.base import MissionContext
from agents.models import AgentLog, LLMRequest
from missions.models import Mission, MissionStatus


def test_an_immediate_answer_reaches_the_running_attempt_that_asked(fake_openai, organization):
    fake_openai.supports_background = False
    fake_openai.reply("Noted, <PERSON_1>.", prompt_tokens=8, completion_tokens=3)
    queued = Mission.objects.create(organization=organization, type="canary", idempotency_key="running-at-once")
    running = Mission.claim(queued.id, worker="test")

    answer = llm.ask_async(MissionContext(running), [{"role": "user", "content": "Acknowledge Jane Doe."}],
                           agent="acknowledger", known_values={"PERSON": ["Jane Doe"]}, consent=True)

    assert answer.text == "Noted, Jane Doe."
    assert LLMRequest.objects.get(mission=running).status == LLMRequest.Status.COMPLETED
    assert AgentLog.objects.filter(mission=running, action="llm.async").count() == 1
    running.refresh_from_db()
    assert running.status == MissionStatus.RUNNING
    assert not running.events.filter(kind="queued", data__reason="LLM answer arrived").exists()
