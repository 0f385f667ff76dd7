"""A mission's detail sums the LLM calls, tokens and cost of all its attempts (from its audit rows)."""

from decimal import Decimal

import pytest

from agents.models import AgentLog
from missions.tests.factories import submit_canary

pytestmark = pytest.mark.django_db


def test_detail_sums_llm_usage_over_the_missions_audit_rows(api_client, organization):
    mission = submit_canary(organization)
    for prompt, completion, cost in [(100, 20, "0.000027"), (50, 10, "0.0000135")]:
        AgentLog.objects.create(organization=organization, mission=mission, agent="decision_engine",
                                action="llm.complete", llm_prompt_tokens=prompt, llm_completion_tokens=completion,
                                llm_cost=Decimal(cost))
    AgentLog.objects.create(organization=organization, mission=mission, agent="canary", action="run",
                            payload={"outcome": "succeeded"})

    body = api_client.get(f"/api/missions/{mission.id}/").json()

    assert body["llm_usage"] == {"calls": 2, "prompt_tokens": 150, "completion_tokens": 30, "cost": "0.000041"}
