"""``GET /api/agents/status``: every agent with its statistics for the caller's organization, the share of
decisions per layer, and whether the LLM is available; a bad window is a 400 with a field error."""

import pytest

from agents.models import AgentLog
from tenants.models import Organization

pytestmark = pytest.mark.django_db


def test_status_lists_agents_with_their_figures(api_client, organization, other_organization_client, settings):
    settings.OPENAI_API_KEY = ""
    other = Organization.objects.exclude(pk=organization.pk).get()
    AgentLog.objects.create(organization=organization, agent="canary", action="run",
                            payload={"outcome": "succeeded"}, duration_ms=12)
    AgentLog.objects.create(organization=other, agent="canary", action="run", payload={"outcome": "failed"},
                            duration_ms=99)
    api_client.post("/api/rex/command", {"type": "canary", "params": {"tag": "status"}}, format="json")

    response = api_client.get("/api/agents/status")

    assert response.status_code == 200
    body = response.json()
    assert body["window"] == "24h"
    canary = next(agent for agent in body["agents"] if agent["name"] == "canary")
    assert (canary["runs"], canary["successes"], canary["failures"]) == (1, 1, 0)  # the other tenant's run is not ours
    assert canary["mean_ms"] == 12.0
    assert canary["p95_ms"] == 12.0
    assert canary["enabled"] is True
    assert canary["llm"] == {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0, "cost": "0"}
    assert body["decisions"]["layers"]["structured"]["count"] == 1
    assert body["decisions"]["layers"]["structured"]["percent"] == 100
    assert body["llm"] == {"available": False, "model": settings.REX_LLM_MODEL}


def test_window_all_time_is_accepted_and_a_bad_window_is_a_field_error(api_client):
    assert api_client.get("/api/agents/status?window=all").status_code == 200

    response = api_client.get("/api/agents/status?window=fortnight")

    assert response.status_code == 400
    assert "window" in response.json()


def test_status_requires_authentication(client):
    assert client.get("/api/agents/status").status_code in (401, 403)
