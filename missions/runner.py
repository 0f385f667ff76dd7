"""Running one attempt of a mission on a worker: claim, keep the lease alive, run the agent, record the outcome."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import close_old_connections, connection, transaction

from agents import registry
from agents.base import AgentError, MissionContext
from agents.models import Agent, AgentLog
from missions.dispatch import dispatch_on_commit
from missions.models import Mission

logger = logging.getLogger(__name__)


class LeaseKeeper:
    """Renews the mission's lease from a background thread while the agent works.

    When a renewal finds the mission no longer ours (cancelled, or taken over after we stalled) it sets the
    context's stop flag so a cooperative agent can stop early; its outcome would be discarded anyway.
    """

    def __init__(self, mission: Mission, context: MissionContext) -> None:
        self.mission = mission
        self.context = context
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._renew_loop, name=f"lease-{mission.id}", daemon=True)

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join(timeout=5)

    def _renew_loop(self) -> None:
        interval = max(settings.REX_MISSION_LEASE_SECONDS / 3, 0.2)
        try:
            while not self._done.wait(interval):
                try:
                    still_ours = self.mission.renew_lease()
                except Exception:
                    logger.warning("lease renewal failed for %s", self.mission.id, exc_info=True)
                    continue
                if not still_ours:
                    self.context.stop_requested.set()
                    return
        finally:
            connection.close()  # this thread's own connection


def run_claimed(mission_id: str, *, worker: str) -> str:
    """Run one attempt if the mission is ours to run; returns what happened (for logs and tests)."""
    close_old_connections()
    mission = Mission.claim(mission_id, worker=worker)
    if mission is None:
        return "skipped"
    agent = registry.get(mission.type)
    if agent is None:
        mission.mark_failed({"message": f"no agent named {mission.type!r} on this worker", "recoverable": False})
        return "failed"

    context = MissionContext(mission)
    started = time.monotonic()
    error: AgentError | None = None
    result: dict[str, Any] | None = None
    with LeaseKeeper(mission, context):
        try:
            result = agent.run(context).data
        except AgentError as exc:
            error = exc
        except SoftTimeLimitExceeded:
            error = _Recoverable(f"attempt exceeded the {settings.REX_MISSION_SOFT_TIME_LIMIT} s time limit")
        except Exception as exc:
            logger.exception("agent %s crashed on mission %s", agent.name, mission.id)
            error = _Fatal(f"{type(exc).__name__}: {exc}")
    duration_ms = int((time.monotonic() - started) * 1000)
    return _record_outcome(mission, agent.name, result, error, duration_ms)


class _Recoverable(AgentError):
    recoverable = True


class _Fatal(AgentError):
    recoverable = False


def _record_outcome(mission: Mission, agent_name: str, result: dict[str, Any] | None, error: AgentError | None,
                    duration_ms: int) -> str:
    retry_delays = settings.REX_RETRY_DELAYS
    with transaction.atomic():
        if error is None:
            won = mission.mark_succeeded(result)
            outcome = "succeeded"
        elif error.recoverable and mission.attempts < mission.max_attempts:
            delay = retry_delays[min(mission.attempts - 1, len(retry_delays) - 1)]
            won = mission.mark_retrying(error.as_error(), delay)
            outcome = "retrying"
            if won:
                dispatch_on_commit(mission, countdown=delay)
        else:
            payload = error.as_error()
            if error.recoverable:
                payload["message"] = f"{payload['message']} (gave up after {mission.attempts} attempts)"
            won = mission.mark_failed(payload)
            outcome = "failed"
        if not won:
            # Cancelled meanwhile, or our lease lapsed and another worker took over: their word stands.
            mission.refresh_from_db(fields=["status"])
            outcome = f"discarded ({mission.status})"
        AgentLog.objects.create(
            organization_id=mission.organization_id,
            mission=mission,
            agent=agent_name,
            action="run",
            level=AgentLog.Level.INFO if error is None else AgentLog.Level.WARNING if outcome == "retrying"
            else AgentLog.Level.ERROR,
            attempt=mission.attempts,
            payload={"params": mission.params, "outcome": outcome,
                     **({"error": error.as_error()} if error else {})},
            duration_ms=duration_ms,
        )
        if won:  # every attempt counts as a run of the agent
            Agent.record_run(agent_name, succeeded=error is None, duration_ms=duration_ms)
    return outcome
