"""Running one attempt of a mission on a worker: claim, keep the lease alive, run the agent, record the outcome."""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import close_old_connections, connection, transaction

from agents import registry
from agents.base import AgentError, AgentResult, AwaitExternal, MissionContext
from agents.models import AgentLog
from missions.dispatch import dispatch_on_commit
from missions.models import Mission

logger = logging.getLogger(__name__)


class LeaseKeeper:
    """Renews the mission's lease in the background while the agent works.

    When a renewal finds the mission no longer ours (cancelled, or taken over after we stalled) it sets the
    context's stop flag so a cooperative agent can stop early; its outcome would be discarded anyway.
    Renewals happen on one long-lived thread per process (``_LeaseRenewer``), not a thread per mission:
    starting and joining a thread cost every mission a few milliseconds on a busy machine, and most
    missions finish long before their first renewal is due.
    """

    def __init__(self, mission: Mission, context: MissionContext) -> None:
        self.mission = mission
        self.context = context
        self.finished = False

    def __enter__(self) -> LeaseKeeper:
        _renewer.add(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self.finished = True
        _renewer.remove(self)

    def renew(self) -> bool:
        """One renewal; False when the lease is no longer ours and renewing should stop."""
        try:
            still_ours = self.mission.renew_lease()
        except Exception:
            logger.warning("lease renewal failed for %s", self.mission.id, exc_info=True)
            return True
        if not still_ours:
            self.context.stop_requested.set()
        return still_ours


class _LeaseRenewer:
    """The per-process thread that renews every registered lease a third of a lease period after the last."""

    def __init__(self) -> None:
        self._reset()
        # A forked child (Celery's prefork pool) has none of its parent's threads: it starts its own on first use.
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._lock = threading.Lock()  # guards _due; held for a whole renewal round, so remove() waits it out
        self._wake = threading.Condition(threading.Lock())
        self._changed = False
        self._due: dict[LeaseKeeper, float] = {}
        self._thread: threading.Thread | None = None

    @staticmethod
    def _interval() -> float:
        return max(settings.REX_MISSION_LEASE_SECONDS / 3, 0.2)

    def add(self, keeper: LeaseKeeper) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="lease-renewer", daemon=True)
                self._thread.start()
            self._due[keeper] = time.monotonic() + self._interval()
        with self._wake:
            self._changed = True
            self._wake.notify()

    def remove(self, keeper: LeaseKeeper) -> None:
        # Waits out a renewal in flight (bounded, as the old thread's join(timeout=5) was); a finished keeper is
        # never renewed again either way.
        if self._lock.acquire(timeout=5):
            try:
                self._due.pop(keeper, None)
            finally:
                self._lock.release()

    def _loop(self) -> None:
        while True:
            try:
                self._round()
            except Exception:  # the thread must outlive any one bad round, or no lease in this process is renewed
                logger.exception("lease renewer round failed")
                time.sleep(self._interval())

    def _round(self) -> None:
        """Sleep until the next renewal is due (or a lease is added), then renew what is due."""
        with self._lock:
            next_due = min(self._due.values(), default=None)
        timeout = None if next_due is None else next_due - time.monotonic()
        with self._wake:
            # _changed: a lease added since we looked must not wait behind a longer (or endless) sleep.
            if not self._changed and (timeout is None or timeout > 0):
                self._wake.wait(timeout)
            self._changed = False
        with self._lock:
            now = time.monotonic()
            due = [keeper for keeper, at in self._due.items() if at <= now or keeper.finished]
            if due:
                close_old_connections()  # this thread's own connection: CONN_MAX_AGE and health check apply
            for keeper in due:
                if not keeper.finished and keeper.renew() and not keeper.finished:
                    self._due[keeper] = time.monotonic() + self._interval()
                else:
                    self._due.pop(keeper, None)
            if not self._due:
                connection.close()  # no lease to keep: do not hold a connection until the next long mission


_renewer = _LeaseRenewer()


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
    result: AgentResult | None = None
    wait: AwaitExternal | None = None
    with LeaseKeeper(mission, context):
        try:
            result = agent.run(context)
        except AwaitExternal as exc:
            wait = exc
        except AgentError as exc:
            error = exc
        except SoftTimeLimitExceeded:
            error = _Recoverable(f"attempt exceeded the {settings.REX_MISSION_SOFT_TIME_LIMIT} s time limit")
        except Exception as exc:
            logger.exception("agent %s crashed on mission %s", agent.name, mission.id)
            error = _Fatal(f"{type(exc).__name__}: {exc}")
    duration_ms = int((time.monotonic() - started) * 1000)
    if wait is not None:
        return _record_wait(mission, agent.name, context, wait, duration_ms)
    return _record_outcome(mission, agent.name, context, result, error, duration_ms)


def _audit_rows(mission: Mission, agent_name: str, context: MissionContext, *, attempt: int) -> list[AgentLog]:
    """The attempt's lifecycle steps as AgentLog rows (written with the outcome, in one INSERT)."""
    return [
        AgentLog(organization_id=mission.organization_id, mission=mission, agent=agent_name, action=step.step,
                 level=step.level, attempt=attempt, payload=step.payload, duration_ms=step.duration_ms)
        for step in context.steps
    ]


def _record_wait(mission: Mission, agent_name: str, context: MissionContext, wait: AwaitExternal,
                 duration_ms: int) -> str:
    timeout = wait.timeout_seconds if wait.timeout_seconds is not None else settings.REX_WAIT_TIMEOUT_SECONDS
    attempt = mission.attempts
    with transaction.atomic():
        won = mission.mark_waiting(reason=wait.reason, correlation_id=wait.correlation_id, timeout_seconds=timeout)
        outcome = "waiting"
        if not won:
            mission.refresh_from_db(fields=["status"])
            outcome = f"discarded ({mission.status})"
        AgentLog.append_many([
            *_audit_rows(mission, agent_name, context, attempt=attempt),
            AgentLog(organization_id=mission.organization_id, mission=mission, agent=agent_name, action="wait",
                     level=AgentLog.Level.INFO, attempt=attempt, duration_ms=duration_ms,
                     payload={"reason": wait.reason, "correlation_id": wait.correlation_id, "outcome": outcome}),
        ])
    return outcome


class _Recoverable(AgentError):
    recoverable = True


class _Fatal(AgentError):
    recoverable = False


def _record_outcome(mission: Mission, agent_name: str, context: MissionContext, result: AgentResult | None,
                    error: AgentError | None, duration_ms: int) -> str:
    retry_delays = settings.REX_RETRY_DELAYS
    with transaction.atomic():
        if error is None:
            won = mission.mark_succeeded(result.data, reused_from=result.reused_from)
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
        # The "run" row is the attempt's summary; agent statistics (agents.stats) are computed from these rows.
        run_payload: dict[str, Any] = {"outcome": outcome}
        if error is not None:
            run_payload["error"] = error.as_error()
        if result is not None and result.reused_from:
            run_payload["reused_from"] = result.reused_from
        AgentLog.append_many([
            *_audit_rows(mission, agent_name, context, attempt=mission.attempts),
            AgentLog(
                organization_id=mission.organization_id, mission=mission, agent=agent_name, action="run",
                level=AgentLog.Level.INFO if error is None else AgentLog.Level.WARNING if outcome == "retrying"
                else AgentLog.Level.ERROR,
                attempt=mission.attempts, payload=run_payload, duration_ms=duration_ms,
            ),
        ])
    return outcome
