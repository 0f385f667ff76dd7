"""A transaction's after-commit work, collected while it runs and sent together when it commits.

The one module that knows how Django keeps commit hooks (``connection.run_on_commit``); a test pins that layout
(``live/tests/test_outbox_follows_djangos_commit_hooks.py``), so a Django upgrade that changes it fails there
first, not in production.

Why one outbox per transaction rather than one ``on_commit`` per message: a transaction that creates or finishes
many missions (a multi-mission command, a worker recording a chunk of outcomes) would otherwise pay one
channel-layer round trip and one Celery publish per row, the largest per-mission cost outside the agent
(docs/performance.md). At commit the outbox sends, in this order:

1. the live frames, per group, as few channel-layer messages as fit (``live.broadcast``), so a dashboard hears
   "queued" before a worker can say "running";
2. the batches, one call of each registered batch sender per key (``missions`` sends the missions to run in
   chunks per priority);
3. the plain after-commit calls, in the order they were queued.

Each send logs and drops its own failure: the change is committed, and every sender has its own recovery (a page
catches up on reconnect, the sweeper re-sends lost missions, ``fulfil`` re-announces a purchase).

Outside a transaction (autocommit) there is nothing to wait for: the work runs at once, as ``on_commit`` would.
Work queued inside a savepoint that is then rolled back may still run (its hook is the transaction's); every
sender here re-reads the database or is harmless on a row that is not there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from core.registry import Registry

logger = logging.getLogger(__name__)

BatchSender = Callable[[Hashable, list[Any]], Any]
_batch_senders: Registry[BatchSender] = Registry("batch sender")


def register_batch_sender(name: str, sender: BatchSender) -> None:
    """Declare how a kind of batched work is sent: ``sender(key, items)`` once per key at commit."""
    _batch_senders.register(name, sender)


@dataclass
class Outbox:
    """What one transaction will send after it commits."""

    frames: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # group → frames, in order
    batches: dict[tuple[str, Hashable], list[Any]] = field(default_factory=dict)  # (sender, key) → items
    calls: list[Callable[[], Any]] = field(default_factory=list)
    flushed: bool = False

    def add_frame(self, group: str, frame: dict[str, Any]) -> None:
        self.frames.setdefault(group, []).append(frame)

    def add_to_batch(self, sender: str, key: Hashable, item: Any) -> None:
        if sender not in _batch_senders:
            raise ValueError(f"no batch sender named {sender!r} is registered")
        self.batches.setdefault((sender, key), []).append(item)

    def add_call(self, call: Callable[[], Any]) -> None:
        self.calls.append(call)

    def flush(self) -> None:
        from live import broadcast

        self.flushed = True
        for group, frames in self.frames.items():
            run_guarded(lambda g=group, f=frames: broadcast.send_frames(g, f), "frames")
        for (sender, key), items in self.batches.items():
            run_guarded(lambda s=sender, k=key, i=items: _batch_senders[s](k, i), sender)
        for call in self.calls:
            run_guarded(call, getattr(call, "__qualname__", "call"))


def send_batch_now(sender: str, key: Hashable, items: list[Any]) -> None:
    """Send a batch at once (outside a transaction there is no commit to wait for)."""
    if sender not in _batch_senders:
        raise ValueError(f"no batch sender named {sender!r} is registered")
    run_guarded(lambda: _batch_senders[sender](key, items), sender)


def run_guarded(send: Callable[[], Any], what: str) -> None:
    try:
        send()
    except Exception:
        logger.exception("after commit: %s failed", what)


_HOOK_ATTRIBUTE = "_rex_outbox"


def current(using: str | None = None) -> Outbox | None:
    """The outbox of the transaction in progress (created, with its commit hook, on first use); None outside one.

    Django keeps a connection's commit hooks in ``run_on_commit`` as ``(savepoint ids, callable, robust)`` and drops
    the ones registered inside a savepoint that rolls back, or all of them when the transaction does. The outbox
    is the current one only while its own hook is still waiting there; otherwise a new outbox and hook are made.
    """
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return None
    state: tuple[Outbox, Callable[[], None], int] | None = getattr(connection, _HOOK_ATTRIBUTE, None)
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
    transaction.on_commit(hook, using=using)
    setattr(connection, _HOOK_ATTRIBUTE, (outbox, hook, index))
    return outbox


def forget_current(using: str = "default") -> None:
    """Start a fresh outbox at the next ``current()`` (tests capturing commit hooks inside an open transaction)."""
    from django.db import connections

    connections[using].__dict__.pop(_HOOK_ATTRIBUTE, None)
