"""Per-agent statistics (runs, success rate, mean and p95 duration, LLM calls, tokens, cost) are computed from the
audit log over a window, per organization or for all."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from agents import stats
from agents.models import AgentLog

pytestmark = pytest.mark.django_db


def _run(org, agent: str, outcome: str, duration_ms: int, *, age: timedelta = timedelta(0)) -> None:
    AgentLog.objects.create(organization=org, agent=agent, action="run", payload={"outcome": outcome},
                            duration_ms=duration_ms, created_at=timezone.now() - age)


def _llm_call(org, agent: str, prompt: int, completion: int, cost: str) -> None:
    AgentLog.objects.create(organization=org, agent=agent, action="llm.complete", llm_prompt_tokens=prompt,
                            llm_completion_tokens=completion, llm_cost=Decimal(cost))


def _entry(entries, name):
    return next(entry for entry in entries if entry["name"] == name)


def test_runs_success_rate_mean_and_p95_per_agent(organization):
    for duration in range(10, 110, 10):  # 10 … 100 ms, ten runs
        _run(organization, "canary", "succeeded", duration)
    _run(organization, "canary", "retrying", 500)
    _run(organization, "canary", "failed", 700)

    canary = _entry(stats.agent_stats(since=stats.window_start("24h")), "canary")

    assert canary["runs"] == 12
    assert canary["successes"] == 10
    assert canary["failures"] == 1
    assert canary["retries"] == 1
    assert canary["success_rate"] == round(10 / 12, 4)
    assert canary["mean_ms"] == round((550 + 500 + 700) / 12, 1)
    # percentile_cont(0.95) over [10 .. 100, 500, 700]: position 10.45, so 500 + 0.45 * 200.
    assert canary["p95_ms"] == 590.0
    assert canary["registered"] is True
    assert canary["version"] == "1.0"


def test_llm_calls_tokens_and_cost_are_summed_per_agent(organization):
    _llm_call(organization, "decision_engine", 120, 30, "0.000036")
    _llm_call(organization, "decision_engine", 80, 20, "0.000024")

    engine = _entry(stats.agent_stats(), "decision_engine")

    assert engine["llm"] == {"calls": 2, "prompt_tokens": 200, "completion_tokens": 50, "cost": "0.000060"}
    assert engine["runs"] == 0
    assert engine["success_rate"] is None


def test_window_and_organization_limit_what_is_counted(organization, other_organization_client):
    from tenants.models import Organization

    other = Organization.objects.exclude(pk=organization.pk).get()
    _run(organization, "canary", "succeeded", 10)
    _run(organization, "canary", "succeeded", 10, age=timedelta(days=2))
    _run(other, "canary", "failed", 10)

    assert _entry(stats.agent_stats(since=stats.window_start("24h")), "canary")["runs"] == 2
    assert _entry(stats.agent_stats(since=stats.window_start("7d")), "canary")["runs"] == 3
    ours = _entry(stats.agent_stats(since=stats.window_start("7d"), organization_id=organization.pk), "canary")
    assert (ours["runs"], ours["failures"]) == (2, 0)


def test_p50_and_p95_without_postgresql_interpolate_as_percentile_cont_does():
    rows = [("canary", d) for d in [*range(10, 110, 10), 500, 700]] + [("solo", 42)]

    found = stats._percentiles_in_python(iter(rows), (0.5, 0.95))

    assert found == {"canary": {0.5: pytest.approx(65.0), 0.95: pytest.approx(590.0)}, "solo": {0.5: 42, 0.95: 42}}
