"""A text one small slip away from a known command is refused with "did you mean …?" — deterministically, and
without asking the LLM even when one is configured."""

import pytest

from missions.models import CommandDecision, Mission

NEAR_MISSES = {
    "wram up 5 domains for acme": "warm up 5 new domains for acme",
    "warm up 5 new domians for acme": "warm up 5 new domains for acme",
    "sned campaign x to list y": "send campaign x to list y",
    "send campain spring-launch to lst cfo-uk": "send campaign spring-launch to list cfo-uk",
    "status mission abc123": "status of mission abc123",
    "assign 2 domain campaign x": "assign 2 domains to campaign x",
    "tirage replys": "triage replies",
    "book a meeting jane@acme.example next week": "book a meeting with jane@acme.example next week",
    "run canary now": "run a canary",
}


@pytest.mark.parametrize("text, suggestion", NEAR_MISSES.items(), ids=NEAR_MISSES.keys())
def test_near_miss_answers_400_with_the_command_it_was_probably_meant_to_be(api_client, fake_openai, text, suggestion):
    response = api_client.post("/api/rex/command", {"command": text}, format="json")

    assert response.status_code == 400, response.data
    [message] = response.data["command"]
    assert message.endswith(f"did you mean '{suggestion}'?"), message
    assert fake_openai.requests == [], "a near miss is answered by the rules alone"
    assert Mission.objects.count() == 0
    decision = CommandDecision.objects.get()
    assert (decision.layer, decision.outcome, decision.text) == ("rules", "rejected", text)
    assert decision.error["command"] == [message]


def test_the_same_slip_always_gets_the_same_suggestion(api_client):
    answers = {str(api_client.post("/api/rex/command", {"command": "wram up 5 domains for acme"}, format="json").data)
               for _ in range(3)}

    assert len(answers) == 1


def test_a_text_that_is_nothing_like_a_command_is_not_a_near_miss(api_client, settings):
    settings.OPENAI_API_KEY = ""

    response = api_client.post("/api/rex/command", {"command": "what is the weather in paris"}, format="json")

    assert response.status_code == 400
    assert "did you mean" not in str(response.data["command"])
