"""Running one attempt of a mission on a worker: claim, keep the lease alive, run the agent, record the outcome."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import close_old_connections, connection, transaction

from agents import registry
from agents.base import AgentError, AgentResult, AwaitExternal, MissionContext
from agents.models import AgentLog
from core.request_context import mission_bound
from missions.models import Mission, MissionStatus, events_inserted_together

logger = logging.getLogger(__name__)


class LeaseKeeper:
    """Renews the leases of claimed missions in the background while their agents work.

    The missions of one claim share a lease token (one, or a chunk from ``Mission.claim_batch``), so one statement
    renews them all. A mission missing from the renewal's answer is no longer ours (cancelled, or taken over after
    we stalled): its context's stop flag is set, so a cooperative agent stops early (its outcome would be discarded
    anyway) and a mission of the chunk not started yet is not started at all.
    Renewals happen on one long-lived thread per process (``_LeaseRenewer``), not a thread per mission:
    starting and joining a thread cost every mission a few milliseconds on a busy machine, and most
    missions finish long before their first renewal is due.
    """

    def __init__(self, missions: list[Mission], contexts: list[MissionContext]) -> None:
        self.contexts = {str(mission.pk): context for mission, context in zip(missions, contexts, strict=True)}
        self.tokens = {mission.lease_token for mission in missions}
        self.finished = False

    def __enter__(self) -> LeaseKeeper:
        _renewer.add(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self.finished = True
        _renewer.remove(self)

    def renew(self) -> bool:
        """One renewal; False when no lease is ours any more and renewing should stop."""
        try:
            held: set[str] = set()
            for token in self.tokens:
                held |= Mission.renew_leases(token)
        except Exception:
            logger.warning("lease renewal failed for %s", ", ".join(self.contexts), exc_info=True)
            return True
        for mission_id, context in self.contexts.items():
            if mission_id not in held:
                context.stop_requested.set()
        return bool(held)


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


@dataclass
class _Attempt:
    """One attempt run by this worker, waiting to be recorded."""

    mission: Mission
    agent_name: str
    context: MissionContext
    duration_ms: int = 0
    result: AgentResult | None = None
    error: AgentError | None = None
    wait: AwaitExternal | None = None


def run_claimed(mission_id: str, *, worker: str) -> str:
    """Run one attempt if the mission is ours to run; returns what happened (for logs and tests)."""
    close_old_connections()
    mission = Mission.claim(mission_id, worker=worker)
    if mission is None:
        return "skipped"
    return _run_missions([mission])[0]


def run_batch(mission_ids: list[str], *, worker: str) -> dict[str, int]:
    """Run one attempt of each still-queued mission of a chunk (``live.outbox``); counts what happened.

    The chunk is claimed in waves, each only as large as this worker expects to run within
    ``REX_BATCH_FLUSH_SECONDS`` (judged by the chunk's missions so far; the first wave is one mission): fast
    missions still share a claim statement and an outcome transaction, and a slow mission is claimed alone, just
    before it starts. So a mission is only ever `running` while a worker really runs it, and a dashboard never
    shows a worker's slot holding a queue of missions. Once ``REX_BATCH_BUDGET_SECONDS`` have passed, no further
    wave is claimed: the rest of the chunk, never claimed, is passed on (``Mission.pass_on``) in pieces that fit
    a worker's budget, so a backlog of slow missions spreads over every free worker instead of bouncing between
    them as one ever-shrinking chunk (issue 12: each hand-back of a claimed chunk cost every mission in it a
    `running` and a `queued` event, quadratic in the chunk).
    """
    close_old_connections()
    # One look first, so a chunk delivered again (its missions done or taken) costs one query, not a claim per wave.
    queued = {str(pk) for pk in Mission.objects.filter(pk__in=mission_ids, status=MissionStatus.QUEUED)
              .values_list("pk", flat=True)}
    waiting = deque(mission_id for mission_id in map(str, mission_ids) if mission_id in queued)
    counts: dict[str, int] = {"skipped": len(mission_ids) - len(waiting)}
    pace = _Pace()
    try:
        while waiting and not (pace.ran and pace.elapsed() > settings.REX_BATCH_BUDGET_SECONDS):
            wave = [waiting.popleft() for _ in range(min(pace.wave_size(), len(waiting)))]
            missions = Mission.claim_batch(wave, worker=worker)
            counts["skipped"] += len(wave) - len(missions)
            if not missions:
                continue
            wave_started = time.monotonic()
            for outcome in _run_missions(missions):
                key = outcome.split(" (", 1)[0].replace(" ", "_")  # "discarded (cancelled)" → discarded
                counts[key] = counts.get(key, 0) + 1
            pace.add(len(missions), time.monotonic() - wave_started)
    except BaseException:
        # The chunk's message is done with either way (acknowledged, or redelivered only after the visibility
        # timeout): the missions not claimed yet go out again now rather than when the sweeper notices them.
        _pass_on(list(waiting), pace)
        raise
    if waiting:
        passed = _pass_on(list(waiting), pace)
        counts["skipped"] += len(waiting) - passed
        counts["passed_on"] = passed
        logger.info("%s ran %d missions of a chunk in %.1f s (budget %g s) and passed on %d",
                    worker, pace.ran, pace.elapsed(), settings.REX_BATCH_BUDGET_SECONDS, passed)
    return counts


class _Pace:
    """How fast this chunk's missions run on this worker: sizes the next wave and the pieces passed on."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.ran = 0
        self.seconds = 0.0

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def add(self, missions: int, seconds: float) -> None:
        self.ran += missions
        self.seconds += seconds

    def _fitting(self, seconds: float) -> int:
        """How many missions are expected to run within ``seconds``; 1 until one has run, and at least 1."""
        if not self.ran:
            return 1
        per_mission = max(self.seconds / self.ran, 1e-4)
        return max(int(seconds / per_mission), 1)

    def wave_size(self) -> int:
        left = settings.REX_BATCH_BUDGET_SECONDS - self.elapsed()
        return self._fitting(min(settings.REX_BATCH_FLUSH_SECONDS, left))

    def chunk_size(self) -> int:
        return min(self._fitting(settings.REX_BATCH_BUDGET_SECONDS), max(settings.REX_DISPATCH_BATCH_SIZE, 1))


def _pass_on(mission_ids: list[str], pace: _Pace) -> int:
    if not mission_ids:
        return 0
    try:
        return Mission.pass_on(mission_ids, chunk_size=pace.chunk_size())
    except Exception:
        logger.exception("could not pass on %d missions; the sweeper sends them again", len(mission_ids))
        return 0


def _run_missions(missions: list[Mission]) -> list[str]:
    """Run claimed missions in turn and record their outcomes; one outcome string per mission (not in order).

    Every mission given is started (a wave is claimed only when it is expected to fit), unless it stopped being
    ours meanwhile (cancelled); outcomes are written at least every ``REX_BATCH_FLUSH_SECONDS``.
    """
    contexts = [MissionContext(mission) for mission in missions]
    unstarted = deque(zip(missions, contexts, strict=True))
    outcomes: list[str] = []
    pending: list[_Attempt] = []
    last_flush = time.monotonic()
    with LeaseKeeper(missions, contexts) as keeper:
        try:
            while unstarted:
                mission, context = unstarted.popleft()
                if context.should_stop():
                    # Cancelled (or taken over) before its turn: nothing ran, and the new owner records the state.
                    outcomes.append("not started (no longer ours)")
                    continue
                pending.append(_run_attempt(mission, context))
                if unstarted and time.monotonic() - last_flush >= settings.REX_BATCH_FLUSH_SECONDS:
                    outcomes += _record(pending)
                    pending = []
                    keeper.renew()  # the rest of the wave: a fresh lease, and stop flags for missions cancelled since
                    last_flush = time.monotonic()
            outcomes += _record(pending)
            pending = []
        except BaseException as exc:
            # An error escaped (a database error while recording, the chunk's time limit): the claimed missions
            # not started go back to the queue now rather than when their lease lapses; the rest are the sweeper's.
            if unstarted:
                _hand_back([mission for mission, _ in unstarted],
                           f"the chunk on {missions[0].worker} stopped early ({type(exc).__name__})")
            raise
    return outcomes


def _hand_back(missions: list[Mission], reason: str) -> list[str]:
    try:
        handed = {str(mission.pk) for mission in Mission.hand_back(missions, reason=reason)}
    except Exception:
        logger.exception("could not hand back %d missions; the sweeper requeues them when their lease lapses",
                         len(missions))
        handed = set()
    return ["handed back" if str(mission.pk) in handed else "not started (no longer ours)" for mission in missions]


def _run_attempt(mission: Mission, context: MissionContext) -> _Attempt:
    agent = registry.get(mission.type)
    if agent is None:
        return _Attempt(mission, mission.type, context,
                        error=_Fatal(f"no agent named {mission.type!r} on this worker"))
    attempt = _Attempt(mission, agent.name, context)
    started = time.monotonic()
    # Whatever the agent logs names the mission (core.logs).
    with mission_bound(mission.pk):
        try:
            attempt.result = agent.run(context)
        except AwaitExternal as exc:
            attempt.wait = exc
        except AgentError as exc:
            attempt.error = exc
        except SoftTimeLimitExceeded:
            attempt.error = _Recoverable(f"attempt exceeded the {settings.REX_MISSION_SOFT_TIME_LIMIT} s time limit")
        except Exception as exc:
            logger.exception("agent %s crashed on mission %s", agent.name, mission.id)
            attempt.error = _Fatal(f"{type(exc).__name__}: {exc}")
    attempt.duration_ms = int((time.monotonic() - started) * 1000)
    return attempt


def _record(attempts: list[_Attempt]) -> list[str]:
    """Write the attempts' outcomes in one transaction: their transitions, events and audit rows (each in one INSERT).

    Broadcasts and retry messages go out after commit (``live.outbox``).
    """
    if not attempts:
        return []
    outcomes: list[str] = []
    rows: list[AgentLog] = []
    with transaction.atomic(), events_inserted_together():
        # The successes, the common case, move in one statement; the rest one by one (each has its own rules).
        succeeded = [attempt for attempt in attempts if attempt.wait is None and attempt.error is None]
        won = dict(zip(map(id, succeeded), Mission.mark_many_succeeded(
            [(attempt.mission, attempt.result.data, attempt.result.reused_from)  # type: ignore[union-attr]
             for attempt in succeeded]), strict=True))
        for attempt in attempts:
            if attempt.wait is not None:
                outcome, log_rows = _record_wait(attempt)
            else:
                outcome, log_rows = _record_outcome(attempt, won.get(id(attempt)))
            outcomes.append(outcome)
            rows += log_rows
        AgentLog.append_many(rows)
    # One line per attempt, after commit: the worker's log says what became of each mission, under its request id.
    for attempt, outcome in zip(attempts, outcomes, strict=True):
        with mission_bound(attempt.mission.pk):
            logger.info("mission %s %s: %s after %d ms", attempt.agent_name, attempt.mission.pk, outcome,
                        attempt.duration_ms)
    return outcomes


def _audit_rows(mission: Mission, agent_name: str, context: MissionContext, *, attempt: int) -> list[AgentLog]:
    """The attempt's lifecycle steps as AgentLog rows (written with the outcome, in one INSERT)."""
    return [
        AgentLog(organization_id=mission.organization_id, mission=mission, agent=agent_name, action=step.step,
                 level=step.level, attempt=attempt, payload=step.payload, duration_ms=step.duration_ms)
        for step in context.steps
    ]


def _record_wait(attempt: _Attempt) -> tuple[str, list[AgentLog]]:
    mission, wait = attempt.mission, attempt.wait
    assert wait is not None
    timeout = wait.timeout_seconds if wait.timeout_seconds is not None else settings.REX_WAIT_TIMEOUT_SECONDS
    number = mission.attempts  # before mark_waiting gives the attempt back
    won = mission.mark_waiting(reason=wait.reason, correlation_id=wait.correlation_id, timeout_seconds=timeout)
    outcome = "waiting"
    if not won:
        mission.refresh_from_db(fields=["status"])
        outcome = f"discarded ({mission.status})"
    return outcome, [
        *_audit_rows(mission, attempt.agent_name, attempt.context, attempt=number),
        AgentLog(organization_id=mission.organization_id, mission=mission, agent=attempt.agent_name, action="wait",
                 level=AgentLog.Level.INFO, attempt=number, duration_ms=attempt.duration_ms,
                 payload={"reason": wait.reason, "correlation_id": wait.correlation_id, "outcome": outcome}),
    ]


class _Recoverable(AgentError):
    recoverable = True


class _Fatal(AgentError):
    recoverable = False


def _record_outcome(attempt: _Attempt, succeeded: bool | None = None) -> tuple[str, list[AgentLog]]:
    """``succeeded``: a success already recorded (``Mission.mark_many_succeeded``), and whether it won."""
    mission, result, error = attempt.mission, attempt.result, attempt.error
    retry_delays = settings.REX_RETRY_DELAYS
    if error is None:
        assert result is not None
        won = mission.mark_succeeded(result.data, reused_from=result.reused_from) if succeeded is None else succeeded
        outcome = "succeeded"
    elif error.recoverable and mission.attempts < mission.max_attempts:
        delay = retry_delays[min(mission.attempts - 1, len(retry_delays) - 1)]
        won = mission.mark_retrying(error.as_error(), delay)
        outcome = "retrying"
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
    return outcome, [
        *_audit_rows(mission, attempt.agent_name, attempt.context, attempt=mission.attempts),
        AgentLog(
            organization_id=mission.organization_id, mission=mission, agent=attempt.agent_name, action="run",
            level=AgentLog.Level.INFO if error is None else AgentLog.Level.WARNING if outcome == "retrying"
            else AgentLog.Level.ERROR,
            attempt=mission.attempts, payload=run_payload, duration_ms=attempt.duration_ms,
        ),
    ]
