"""An LLM plan that does not validate — or that the LLM itself is unsure of — is refused with a readable 400 and
never executed; only the rejected decision is stored. An LLM that fails falls back to the rules' answer."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from agents.models import AgentLog
from missions.models import CommandDecision, Mission, MissionEvent
from missions.tests.publishing import published_tasks

TEXT = "do the thing we talked about for acme"


def plan(**fields) -> str:
    return json.dumps({"intent": "canary", "missions": [{"type": "canary", "params": {}}], "confidence": 0.9,
                       "explanation": "a canary", **fields})


YESTERDAY = str(timezone.now().date() - timedelta(days=1))
INVALID_PLANS = {
    "not json": ("Sure! I will warm up some domains.", "not valid JSON"),
    "unknown mission type": (plan(missions=[{"type": "launch_rockets", "params": {}}]),
                             "'missions.0': its 'type' should be one of"),
    "count not a number": (plan(intent="provision_domains",
                                missions=[{"type": "provision_domains", "params": {"count": "many", "client": "acme"}}]),
                           "count"),
    "count too large": (plan(intent="provision_domains",
                             missions=[{"type": "provision_domains", "params": {"count": 5000, "client": "acme"}}]),
                        "less than or equal to 100"),
    "param the type does not know": (plan(missions=[{"type": "canary", "params": {"launch_codes": "0000"}}]),
                                     "launch_codes"),
    "missing client": (plan(intent="provision_domains", missions=[{"type": "provision_domains", "params": {"count": 2}}]),
                       "client"),
    "no confidence": (json.dumps({"intent": "canary", "missions": [{"type": "canary"}], "explanation": ""}),
                      "confidence"),
    "confidence above 1": (plan(confidence=1.5), "confidence"),
    "intent without missions": (plan(missions=[]), "plans no mission"),
    "missions of another intent": (plan(intent="send_campaign"), "at least one 'send_campaign' mission"),
    "extra top-level field": (plan(shell_command="rm -rf /"), "shell_command"),
    "meeting in the past": (plan(intent="book_meeting", missions=[{"type": "book_meeting", "params": {
        "attendee": "jane@acme.example", "window_start": YESTERDAY, "window_end": YESTERDAY}}]), "in the past"),
}


@pytest.mark.parametrize("reply, detail", INVALID_PLANS.values(), ids=INVALID_PLANS.keys())
def test_invalid_plan_answers_400_and_runs_nothing(api_client, fake_openai, django_capture_on_commit_callbacks,
                                                   reply, detail):
    fake_openai.reply(reply)

    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api_client.post("/api/rex/command", {"command": TEXT}, format="json")

    assert response.status_code == 400, response.data
    [message] = response.data["command"]
    assert message.startswith("the LLM's plan for this command was invalid, so nothing was run: "), message
    assert detail in message, message
    assert "rm -rf" not in message, "the error names fields, never echoes the answer's values"
    assert Mission.objects.count() == 0 and MissionEvent.objects.count() == 0
    assert callbacks == [] and published == []
    decision = CommandDecision.objects.get()
    assert (decision.layer, decision.outcome, decision.text) == ("llm", "rejected", TEXT)
    assert decision.error["command"] == [message]


@pytest.mark.parametrize("fields, expected", [
    ({"confidence": 0.3, "explanation": "it might be a canary, or a campaign"},
     "REX could not turn this into a command it knows (confidence 0.30): it might be a canary, or a campaign."),
    ({"intent": "unknown", "missions": [], "confidence": 0.95, "explanation": "this asks about the weather"},
     "REX could not turn this into a command it knows (confidence 0.95): this asks about the weather."),
])
def test_an_unsure_or_unknown_plan_is_refused_with_its_explanation(api_client, fake_openai, fields, expected):
    fake_openai.reply(plan(**fields))

    response = api_client.post("/api/rex/command", {"command": TEXT}, format="json")

    assert response.status_code == 400
    [message] = response.data["command"]
    assert message.startswith(expected)
    assert "'warm up 5 new domains for acme'" in message, "and it lists what REX does understand"
    assert Mission.objects.count() == 0
    assert CommandDecision.objects.get().layer == "llm"


@pytest.mark.parametrize("failure", [401, 503])
def test_a_failing_llm_falls_back_to_the_rules_answer_never_a_500(api_client, fake_openai, settings, failure):
    settings.REX_LLM_MAX_RETRIES = 0
    fake_openai.fail(failure)

    response = api_client.post("/api/rex/command", {"command": TEXT}, format="json")

    assert response.status_code == 400
    [message] = response.data["command"]
    assert message.startswith(f"REX does not understand {TEXT!r}. Commands it knows, for example: ")
    assert len(fake_openai.received("/chat/completions")) == 1
    assert Mission.objects.count() == 0
    decision = CommandDecision.objects.get()
    assert (decision.layer, decision.outcome) == ("rules", "rejected")
    assert decision.error["_note"].startswith("LLM failed: ")
    assert AgentLog.objects.get(action="llm.plan").level == AgentLog.Level.ERROR
