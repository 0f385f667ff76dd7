"""A free-text command full of personal data goes to the LLM pseudonymised; the plan it answers with uses the
placeholders it was sent, and every one of them (in every string of the plan, nested or not) is put back before the
plan is validated and turned into missions: the mission carries the real values, the LLM server never saw them."""

import json
import re

from agents.models import AgentLog
from missions.models import CommandDecision, Mission

EMAIL = "jane.doe@globex.example"
PHONE = "+44 20 7946 0958"
IBAN = "DE89 3704 0044 0532 0130 00"
COMMAND = f"could you kick off a quick pipeline check that says call {PHONE} or write to {EMAIL}, refund {IBAN}"


def test_the_mission_holds_the_real_values_and_the_llm_never_received_them(api_client, fake_openai):
    fake_openai.reply(json.dumps({
        "intent": "canary",
        "missions": [{"type": "canary", "priority": "low",
                      "params": {"message": "call <PHONE_1> or write to <EMAIL_1>, refund <IBAN_1>",
                                 "tag": "<EMAIL_1>"}}],
        "confidence": 0.9, "explanation": "a pipeline check for <EMAIL_1>",
    }))

    response = api_client.post("/api/rex/command", {"command": COMMAND}, format="json")

    assert response.status_code == 201, response.data
    mission = Mission.objects.get()
    assert mission.params["message"] == f"call {PHONE} or write to {EMAIL}, refund {IBAN}"
    assert mission.params["tag"] == EMAIL
    assert not re.search(r"<[A-Z_]+_\d+>", json.dumps(mission.params)), mission.params

    [sent] = fake_openai.received("/chat/completions")
    for needle in ("<EMAIL_1>", "<PHONE_1>", "<IBAN_1>"):  # what it got were placeholders …
        assert needle in sent.body["messages"][-1]["content"]
    for value in (EMAIL, PHONE, IBAN, "7946", "0532"):  # … and never the values
        assert value not in fake_openai.received_text(), f"{value!r} reached the LLM"

    assert CommandDecision.objects.get().outcome == "accepted"
    assert AgentLog.objects.get(action="llm.plan").payload["outcome"] == "succeeded"
