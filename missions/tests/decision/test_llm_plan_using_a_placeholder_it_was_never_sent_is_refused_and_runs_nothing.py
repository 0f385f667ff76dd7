"""A plan that uses a placeholder the call never issued (the model made ``<EMAIL_7>`` up, or ``<PERSON_1>`` for a
name nobody pseudonymised) has no real value behind it: the command answers 400 with a readable reason, the
refusal is recorded like any other, and no mission ever runs against a placeholder."""

import json

from agents.models import AgentLog
from missions.models import CommandDecision, Mission

COMMAND = "could you kick off a quick pipeline check that says write to jane.doe@globex.example"


def plan_with_message(message: str) -> str:
    return json.dumps({"intent": "canary", "missions": [{"type": "canary", "params": {"message": message}}],
                       "confidence": 0.9, "explanation": "a pipeline check"})


def test_an_invented_placeholder_refuses_the_command_with_a_readable_reason(api_client, fake_openai):
    fake_openai.reply(plan_with_message("write to <EMAIL_1> and <EMAIL_7>"))

    response = api_client.post("/api/rex/command", {"command": COMMAND}, format="json")

    assert response.status_code == 400, response.data
    [message] = response.data["command"]
    assert message.startswith("the LLM's plan for this command was invalid, so nothing was run: "), message
    assert "<EMAIL_7>, a placeholder this request never sent (it sent: <EMAIL_1>)" in message
    assert "jane.doe@globex.example" not in message
    assert Mission.objects.count() == 0

    decision = CommandDecision.objects.get()
    assert (decision.layer, decision.outcome) == ("llm", "rejected")
    assert AgentLog.objects.get(action="llm.plan").payload["outcome"] == "invalid_output"


def test_a_placeholder_another_call_issued_is_not_restored(api_client, fake_openai):
    # The first call issued <EMAIL_2> (for bob); the second issued only <EMAIL_1>: its <EMAIL_2> stands for nothing.
    fake_openai.reply(plan_with_message("write to <EMAIL_2>"))
    first = api_client.post("/api/rex/command", {"command": COMMAND + " and bob@initech.example"}, format="json")
    assert first.status_code == 201, first.data
    fake_openai.reply(plan_with_message("write to <EMAIL_2>"))

    second = api_client.post("/api/rex/command", {"command": COMMAND}, format="json")

    assert second.status_code == 400, second.data
    assert "<EMAIL_2>, a placeholder this request never sent" in second.data["command"][0]
    assert [m.params["message"] for m in Mission.objects.all()] == ["write to bob@initech.example"]
