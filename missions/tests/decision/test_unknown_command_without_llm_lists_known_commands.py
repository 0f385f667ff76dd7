"""With no LLM configured, a text REX cannot read is refused (400) with the commands it does know; nothing runs."""

from missions.decision import EXAMPLE_COMMANDS
from missions.models import CommandDecision, Mission


def test_unknown_command_answers_400_listing_the_known_commands(api_client, settings):
    settings.OPENAI_API_KEY = ""  # no LLM: layer 3 is unavailable

    response = api_client.post("/api/rex/command", {"command": "please send the spring campaign to the cfo list"},
                               format="json")

    assert response.status_code == 400
    [message] = response.data["command"]
    assert message.startswith("REX does not understand 'please send the spring campaign to the cfo list'.")
    for example in EXAMPLE_COMMANDS:
        assert f"'{example}'" in message
    assert Mission.objects.count() == 0
    decision = CommandDecision.objects.get()
    assert (decision.layer, decision.outcome, decision.intent) == ("rules", "rejected", "")
    assert decision.error["_note"] == "LLM unavailable"


def test_help_is_answered_with_the_same_list(api_client):
    response = api_client.post("/api/rex/command", {"command": "help"}, format="json")

    assert response.status_code == 200
    assert response.data["decision"]["layer"] == "rules"
    assert response.data["answer"]["commands"] == EXAMPLE_COMMANDS
    assert response.data["answer"]["kind"] == "table"
    assert Mission.objects.count() == 0


def test_a_blank_command_is_refused(api_client):
    for text in ["   ", "?!", "please"]:
        response = api_client.post("/api/rex/command", {"command": text}, format="json")

        assert response.status_code == 400, text
        assert "command" in response.data
    assert Mission.objects.count() == 0
