"""A command REX understands but no agent on this server can run is refused (400) and never queued."""

import pytest

from agents import registry
from missions.models import CommandDecision, Mission, MissionEvent
from missions.tests.publishing import published_tasks


@pytest.fixture
def without_campaign_agent(monkeypatch):
    """This server has no send_campaign agent (whatever later issues install)."""
    monkeypatch.setattr(registry, "_agents", {k: v for k, v in registry._agents.items() if k != "send_campaign"})


def test_understood_command_without_an_agent_answers_400_and_stores_no_mission(
        api_client, without_campaign_agent, django_capture_on_commit_callbacks):
    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/rex/command", {"command": "send campaign spring-launch to list cfo-uk"},
                                   format="json")

    assert response.status_code == 400, response.data
    [message] = response.data["command"]
    assert message.startswith(
        "understood as: send campaign spring-launch to list cfo-uk → send_campaign(campaign='spring-launch', "
        "list='cfo-uk'), but no agent handles 'send_campaign' on this server yet, so nothing was queued.")
    assert Mission.objects.count() == 0 and MissionEvent.objects.count() == 0
    assert published == []
    decision = CommandDecision.objects.get()
    assert (decision.layer, decision.intent, decision.outcome) == ("rules", "send_campaign", "rejected")
    assert "no agent handles 'send_campaign'" in decision.error["command"][0]
    assert decision.missions.count() == 0


def test_a_disabled_agent_refuses_free_text_too(api_client):
    from agents.models import Agent

    Agent.objects.update_or_create(name="canary", defaults={"enabled": False})

    response = api_client.post("/api/rex/command", {"command": "run a canary"}, format="json")

    assert response.status_code == 400
    [message] = response.data["command"]
    assert message.startswith("understood as: run a canary → canary(), but ")
    assert "disabled" in message
    assert Mission.objects.count() == 0
