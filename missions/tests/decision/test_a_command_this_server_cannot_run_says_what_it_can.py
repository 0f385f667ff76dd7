"""A command REX understands but has no agent for here (booking a meeting, before its agent is installed) is
refused with nothing queued, and the refusal lists the commands this server does carry out, so the user knows
what to ask instead; the examples it lists never include the refused kind."""

import pytest

from agents import registry
from missions.decision.intents import supported_examples
from missions.models import Mission

pytestmark = pytest.mark.django_db


@pytest.fixture
def without_meeting_agent(monkeypatch):
    """This server has no book_meeting agent (the meetings app installs one)."""
    monkeypatch.setattr(registry, "_agents", {k: v for k, v in registry._agents.items() if k != "book_meeting"})


def test_book_a_meeting_is_refused_naming_what_is_supported(api_client, without_meeting_agent):
    response = api_client.post("/api/rex/command", {"command": "book a meeting with jane@acme.example next week"},
                               format="json")

    assert response.status_code == 400
    [message] = response.json()["command"]
    assert "but no agent handles 'book_meeting' on this server yet, so nothing was queued" in message
    assert message.endswith("Commands this server carries out, for example: " + "; ".join(supported_examples()))
    assert "triage replies" in supported_examples()
    assert not any(example.startswith("book a meeting") for example in supported_examples())
    assert not Mission.objects.exists()
