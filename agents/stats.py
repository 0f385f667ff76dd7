"""Per-agent statistics, computed from the audit log (``AgentLog``) over a time window.

Runs are the "run" rows the runner writes once per attempt (outcome in the payload); LLM usage is every row whose
action starts with "llm." (the gateway writes one per call, with tokens and cost). Three aggregate queries in all,
whatever the number of agents; the p50 and p95 are PostgreSQL's ``percentile_cont`` (on SQLite, the embedded set-up, the
durations of the window are read and ranked in Python).
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Avg, Count, FloatField, Max, Q, Sum
from django.utils import timezone

from agents import registry
from agents.models import Agent, AgentLog

WINDOWS: dict[str, timedelta | None] = {
    "1h": timedelta(hours=1), "24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30),
    "all": None,
}
DEFAULT_WINDOW = "24h"


class PercentileCont(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: str, percentile: float, **extra: Any) -> None:
        super().__init__(expression, percentile=percentile, **extra)


def window_start(window: str, now: datetime | None = None) -> datetime | None:
    span = WINDOWS[window]
    return None if span is None else (now or timezone.now()) - span


def _percentiles_in_python(rows, percentiles: tuple[float, ...]) -> dict[str, dict[float, float]]:
    durations: dict[str, list[int]] = defaultdict(list)
    for name, duration in rows:
        durations[name].append(duration)
    result: dict[str, dict[float, float]] = {}
    for name, values in durations.items():
        values.sort()
        result[name] = {}
        for percentile in percentiles:
            # Linear interpolation between closest ranks, as percentile_cont does.
            position = percentile * (len(values) - 1)
            low, high = math.floor(position), math.ceil(position)
            result[name][percentile] = values[low] + (values[high] - values[low]) * (position - low)
    return result


def agent_stats(*, since: datetime | None = None, organization_id: int | None = None) -> list[dict[str, Any]]:
    """One entry per registered agent (and per agent that left rows but is no longer registered)."""
    logs = AgentLog.objects.all()
    if since is not None:
        logs = logs.filter(created_at__gte=since)
    if organization_id is not None:
        logs = logs.filter(organization_id=organization_id)

    runs = logs.filter(action="run")
    run_aggregates = {"runs": Count("id"), "successes": Count("id", filter=Q(payload__outcome="succeeded")),
                      "failures": Count("id", filter=Q(payload__outcome="failed")),
                      "retries": Count("id", filter=Q(payload__outcome="retrying")),
                      "mean_ms": Avg("duration_ms"), "last_run_at": Max("created_at")}
    if connection.vendor == "postgresql":
        run_aggregates["p50_ms"] = PercentileCont("duration_ms", 0.5)
        run_aggregates["p95_ms"] = PercentileCont("duration_ms", 0.95)
    by_agent = {row["agent"]: row for row in runs.values("agent").annotate(**run_aggregates)}
    if connection.vendor != "postgresql":
        found = _percentiles_in_python(runs.values_list("agent", "duration_ms").iterator(), (0.5, 0.95))
        for name, values in found.items():
            by_agent[name]["p50_ms"], by_agent[name]["p95_ms"] = values[0.5], values[0.95]

    llm = {row["agent"]: row for row in logs.filter(action__startswith="llm.").values("agent").annotate(
        calls=Count("id"), prompt_tokens=Sum("llm_prompt_tokens"), completion_tokens=Sum("llm_completion_tokens"),
        cost=Sum("llm_cost"))}

    rows = {agent.name: agent for agent in Agent.objects.all()}
    names = sorted(set(registry.names()) | set(by_agent) | set(llm) | set(rows))
    result = []
    for name in names:
        run = by_agent.get(name, {})
        usage = llm.get(name, {})
        row = rows.get(name)
        agent = registry.get(name)
        count = run.get("runs", 0)
        result.append({
            "name": name,
            "version": agent.version if agent else (row.version if row else ""),
            "description": agent.description if agent else (row.description if row else ""),
            "registered": agent is not None,
            "enabled": row.enabled if row else agent is not None,
            "runs": count,
            "successes": run.get("successes", 0),
            "failures": run.get("failures", 0),
            "retries": run.get("retries", 0),
            "success_rate": round(run["successes"] / count, 4) if count else None,
            "mean_ms": round(run["mean_ms"], 1) if run.get("mean_ms") is not None else None,
            "p50_ms": round(run["p50_ms"], 1) if run.get("p50_ms") is not None else None,
            "p95_ms": round(run["p95_ms"], 1) if run.get("p95_ms") is not None else None,
            "last_run_at": run.get("last_run_at"),
            "llm": {
                "calls": usage.get("calls", 0),
                "prompt_tokens": usage.get("prompt_tokens") or 0,
                "completion_tokens": usage.get("completion_tokens") or 0,
                "cost": str(usage.get("cost") or Decimal("0")),
            },
        })
    return result
