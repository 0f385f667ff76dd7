"""A command REX understands but has no agent for here (booking a meeting, before its agent is installed) is
refused with nothing queued, and the refusal lists the commands this server does carry out, so the user knows
what to ask instead; the examples it lists never include the refused kind."""

import pytest

from missions.decision.intents import supported_examples
from missions.models import Mission

pytestmark = pytest.mark.django_db


def test_book_a_meeting_is_refused_naming_what_is_supported(api_client):
    response = api_client.post("/api/rex/command", {"command": "book a meeting with jane@acme.example next week"},
                               format="json")

    assert response.status_code == 400
    [message] = response.json()["command"]
    assert "but no agent handles 'book_meeting' on this server yet, so nothing was queued" in message
    assert message.endswith("Commands this server carries out, for example: " + "; ".join(supported_examples()))
    assert "triage replies" in supported_examples()
    assert not any(example.startswith("book a meeting") for example in supported_examples())
    assert not Mission.objects.exists()
