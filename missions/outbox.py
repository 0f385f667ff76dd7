"""A transaction's after-commit messages, collected while it runs and sent together when it commits.

Every mission transition broadcasts an event to its organization's dashboards, and every mission that becomes
runnable needs a Celery message. Both go out only after COMMIT: a dashboard must never show, and a worker never
run, what the database then rolls back. Sent one by one from ``transaction.on_commit``, a transaction that creates
or finishes many missions at once (a multi-mission command, a worker recording a batch of outcomes) pays one
channel-layer round trip and one Celery publish per mission, which was the largest per-mission cost outside the
agent itself (docs/performance.md). So the outbox collects them per transaction and, at commit:

- broadcasts each organization's events as one channel-layer message (``mission.events``); the dashboard
  consumer still writes one websocket frame per event, in order, so browsers see no difference;
- sends the missions to run as one ``missions.run_batch`` message per chunk of ``REX_DISPATCH_BATCH_SIZE``
  missions of the same priority, or one ``missions.run_mission`` message when it is a single mission. Delayed
  sends (a retry's countdown) stay one message each.

Broadcasts go before sends, so a dashboard hears "queued" before a worker can say "running". Outside a
transaction (autocommit) there is nothing to wait for: each message is sent at once, as ``on_commit`` would.

A mission added inside a savepoint that is then rolled back may still be sent: the worker's claim finds no
queued mission by that id and skips it. Nothing is ever missed: a mission that commits is always in the outbox
of the transaction that committed it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass
class Outbox:
    """What one transaction will send after it commits."""

    broadcasts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # group → messages, in order
    runs: dict[str, list[str]] = field(default_factory=dict)  # priority → mission ids to run now
    delayed: list[tuple[str, str, float]] = field(default_factory=list)  # (mission id, priority, countdown)
    flushed: bool = False

    def add_broadcast(self, group: str, message: dict[str, Any]) -> None:
        self.broadcasts.setdefault(group, []).append(message)

    def add_run(self, mission_id: str, priority: str, countdown: float | None = None) -> None:
        if countdown:
            self.delayed.append((mission_id, priority, countdown))
        else:
            self.runs.setdefault(priority, []).append(mission_id)

    def flush(self) -> None:
        """Send everything; each send logs and drops its own failure (the sweeper re-sends lost missions)."""
        from missions.dispatch import send_mission, send_missions
        from missions.events import broadcast_many

        self.flushed = True
        for group, messages in self.broadcasts.items():
            _guarded(lambda g=group, m=messages: broadcast_many(g, m))
        for priority, ids in self.runs.items():
            _guarded(lambda p=priority, i=ids: send_missions(i, p))
        for mission_id, priority, countdown in self.delayed:
            _guarded(lambda m=mission_id, p=priority, c=countdown: send_mission(m, p, c))


def _guarded(send: Callable[[], Any]) -> None:
    # The senders already log and swallow broker and channel-layer errors; this keeps one unexpected error from
    # costing the rest of the outbox its messages.
    try:
        send()
    except Exception:
        logger.exception("outbox: a send failed")


def current() -> Outbox | None:
    """The outbox of the transaction in progress (created, with its commit hook, on first use); None outside one.

    Django keeps a connection's commit hooks in ``run_on_commit`` as ``(savepoint ids, callable, robust)`` and drops
    the ones registered inside a savepoint that rolls back, or all of them when the transaction does. The outbox
    is the current one only while its own hook is still waiting there; otherwise a new outbox and hook are made.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    state: tuple[Outbox, Callable[[], None], int] | None = getattr(connection, "_rex_outbox", None)
    if state is not None:
        outbox, hook, index = state
        hooks = connection.run_on_commit
        if not outbox.flushed and (
            (index < len(hooks) and hooks[index][1] is hook) or any(entry[1] is hook for entry in hooks)
        ):
            return outbox
    outbox = Outbox()
    hook = outbox.flush
    index = len(connection.run_on_commit)
    transaction.on_commit(hook)
    connection._rex_outbox = (outbox, hook, index)
    return outbox
