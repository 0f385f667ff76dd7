"""The agents board's figures: per agent today and this month (from ``agents.stats``), the missions each is running
now, the mission queue per priority (the database's queued missions and the broker's waiting messages) and the
workers online (``monitoring.workers``, cached)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone

from agents.stats import agent_stats
from missions.models import Mission, MissionStatus, Priority
from monitoring.workers import workers_online
from ops.metrics import broker_queue_depths
from rex_project.celery import MISSION_QUEUES
from tenants.models import Organization

logger = logging.getLogger(__name__)

# The board lists at most this many running missions per agent (the count says how many there are).
RUNNING_SHOWN = 5


def _month_start(now: datetime) -> datetime:
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _day_start(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def _figures(entry: dict[str, Any]) -> dict[str, Any]:
    llm = entry["llm"]
    return {"runs": entry["runs"], "success_rate": entry["success_rate"], "p50_ms": entry["p50_ms"],
            "p95_ms": entry["p95_ms"], "retries": entry["retries"], "llm_calls": llm["calls"],
            "tokens": llm["prompt_tokens"] + llm["completion_tokens"], "cost": llm["cost"]}


def agent_rows(organization: Organization, now: datetime) -> list[dict[str, Any]]:
    today = {e["name"]: e for e in agent_stats(since=_day_start(now), organization_id=organization.pk)}
    month = {e["name"]: e for e in agent_stats(since=_month_start(now), organization_id=organization.pk)}
    running: dict[str, list[dict[str, Any]]] = {}
    for mission in (Mission.objects.filter(organization=organization, status=MissionStatus.RUNNING)
                    .order_by("started_at").only("id", "type", "started_at", "attempts", "worker")):
        running.setdefault(mission.type, []).append({
            "id": str(mission.id), "started_at": mission.started_at.isoformat() if mission.started_at else None,
            "attempt": mission.attempts, "worker": mission.worker})
    rows = []
    for name, entry in month.items():
        now_running = running.get(name, [])
        rows.append({"name": name, "version": entry["version"], "description": entry["description"],
                     "registered": entry["registered"], "enabled": entry["enabled"],
                     "today": _figures(today[name]), "month": _figures(entry),
                     "running": len(now_running), "running_missions": now_running[:RUNNING_SHOWN]})
    return rows


def queue_rows(organization: Organization) -> list[dict[str, Any]]:
    queued = dict(Mission.objects.filter(organization=organization, status=MissionStatus.QUEUED)
                  .values_list("priority").annotate(n=Count("id")).order_by())
    try:
        waiting: dict[str, int] | None = broker_queue_depths()
    except OSError as exc:  # the broker is away: the board still shows what the database knows
        logger.warning("broker queue depths unavailable: %s", exc)
        waiting = None
    return [{"priority": priority, "queue": MISSION_QUEUES[priority], "queued_missions": queued.get(priority, 0),
             "broker_messages": waiting.get(MISSION_QUEUES[priority]) if waiting is not None else None}
            for priority in Priority.values]


def board(organization: Organization, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    return {"agents": agent_rows(organization, now), "queues": queue_rows(organization), **workers_online(),
            "generated_at": now.isoformat()}
