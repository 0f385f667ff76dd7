"""Ops can switch an agent off in the admin (Agent.enabled); intake then refuses its missions."""

from agents.models import Agent
from missions.models import Mission


def test_disabled_agent_type_answers_400(api_client):
    Agent.objects.filter(name="canary").update(enabled=False)

    response = api_client.post("/api/rex/command", {"type": "canary"}, format="json")

    assert response.status_code == 400
    assert "disabled" in str(response.data["type"])
    assert Mission.objects.count() == 0


def test_enabling_it_again_accepts_missions(api_client):
    Agent.objects.filter(name="canary").update(enabled=False)
    assert api_client.post("/api/rex/command", {"type": "canary"}, format="json").status_code == 400

    Agent.objects.filter(name="canary").update(enabled=True)

    assert api_client.post("/api/rex/command", {"type": "canary"}, format="json").status_code == 201
