"""Per agent and organization, the last hour against the week before: a failure rate surely over 10 % and twice
the baseline opens a failure-rate incident, a mean run 1.5 x the baseline's and three standard errors above it a
duration incident; an agent that fails as often as it always did opens nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from agents.models import AgentLog
from monitoring.detection import run_pass
from monitoring.models import Incident

pytestmark = pytest.mark.django_db


def runs(organization, agent: str, *, count: int, failed: int, duration_ms: int, hours_ago: float) -> None:
    at = timezone.now() - timedelta(hours=hours_ago)
    AgentLog.objects.bulk_create(
        AgentLog(organization=organization, agent=agent, action="run", created_at=at, duration_ms=duration_ms,
                 payload={"outcome": "failed" if n < failed else "succeeded"}) for n in range(count))


def test_an_agent_failing_and_slowing_against_its_baseline_opens_incidents(organization):
    runs(organization, "send_campaign", count=200, failed=4, duration_ms=800, hours_ago=30)
    runs(organization, "send_campaign", count=40, failed=16, duration_ms=2400, hours_ago=0.2)
    runs(organization, "warmup", count=200, failed=60, duration_ms=500, hours_ago=30)  # always this flaky
    runs(organization, "warmup", count=40, failed=12, duration_ms=510, hours_ago=0.2)

    assert run_pass()["opened"] == 2

    failing = Incident.objects.get(kind="agent_failure_rate")
    assert (failing.subject, failing.severity) == ("send_campaign", "warning")
    assert failing.reason.startswith("agent send_campaign: 16 of 40 runs failed in the last hour (40.0 %")
    assert "against 2.0 % over the week before" in failing.reason
    slow = Incident.objects.get(kind="agent_duration")
    assert slow.subject == "send_campaign" and "mean run 2.4 s over 40 runs" in slow.reason
