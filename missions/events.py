"""Mission timeline events and their live broadcast.

An event row is written inside the transaction that changed the mission; the websocket message goes out only
after that transaction commits, so a dashboard never shows a state the database then rolls back.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from channels.layers import get_channel_layer
from django.db.models import Max

if TYPE_CHECKING:
    from missions.models import Mission, MissionEvent

logger = logging.getLogger(__name__)


def organization_group(organization_id: int) -> str:
    """The Channels group of one organization's dashboards."""
    return f"rex.org.{organization_id}.missions"


def mission_snapshot(mission: Mission) -> dict[str, Any]:
    """What a dashboard needs to draw a mission's row."""
    return {
        "id": str(mission.id),
        "type": mission.type,
        "priority": mission.priority,
        "status": mission.status,
        "attempts": mission.attempts,
        "max_attempts": mission.max_attempts,
        "created_at": mission.created_at.isoformat(),
        "started_at": mission.started_at.isoformat() if mission.started_at else None,
        "finished_at": mission.finished_at.isoformat() if mission.finished_at else None,
        "error": mission.error,
    }


def event_payload(event: MissionEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "kind": event.kind,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "message": event.message,
        "data": event.data,
        "at": event.created_at.isoformat(),
    }


def new_event(mission: Mission, *, kind: str, from_status: str = "", message: str = "",
              data: dict[str, Any] | None = None, actor: Any = None, last_seq: int = 0) -> MissionEvent:
    """The event row that follows ``last_seq`` (not yet saved), with its broadcast queued for after commit."""
    from missions import outbox
    from missions.models import MissionEvent

    event = MissionEvent(
        mission=mission,
        seq=last_seq + 1,
        kind=kind,
        from_status=from_status,
        to_status=mission.status,
        message=message,
        data=data or {},
        actor=actor if getattr(actor, "pk", None) else None,
    )
    message_body = {
        "type": "mission.event",
        "mission": mission_snapshot(mission),
        "event": event_payload(event),
    }
    group = organization_group(mission.organization_id)
    pending = outbox.current()
    if pending is None:
        broadcast(group, message_body)
    else:
        pending.add_broadcast(group, message_body)
    return event


class _InsertTogether(threading.local):
    rows: list[MissionEvent] | None = None


_insert_together = _InsertTogether()


@contextmanager
def events_inserted_together() -> Iterator[None]:
    """Inside this block ``record_event`` collects its rows; they are written in one INSERT as the block ends.

    For a worker recording several outcomes in one transaction: one statement instead of one per event. Use it
    inside that transaction; nothing in the block may read the events back. On an error nothing is written (the
    transaction is rolled back anyway).
    """
    from missions.models import MissionEvent

    outer = _insert_together.rows
    rows: list[MissionEvent] = []
    _insert_together.rows = rows
    try:
        yield
    finally:
        _insert_together.rows = outer
    MissionEvent.objects.bulk_create(rows)


def record_event(mission: Mission, *, kind: str, from_status: str = "", message: str = "",
                 data: dict[str, Any] | None = None, actor: Any = None, last_seq: int | None = None) -> MissionEvent:
    """Append an event to the mission's timeline; must run inside the transaction that changed the mission.

    The mission row was just updated (or created) in this transaction, which holds its row lock (PostgreSQL)
    or the database write lock (SQLite IMMEDIATE), so computing the next ``seq`` here cannot race. A caller
    that already read the highest ``seq`` under that lock passes it as ``last_seq`` (0 for a mission created
    in this transaction) and saves a query.
    """
    from missions.models import MissionEvent

    if last_seq is None:
        last_seq = MissionEvent.objects.filter(mission=mission).aggregate(m=Max("seq"))["m"] or 0
    event = new_event(mission, kind=kind, from_status=from_status, message=message, data=data, actor=actor,
                      last_seq=last_seq)
    if _insert_together.rows is not None:
        _insert_together.rows.append(event)
    else:
        event.save(force_insert=True)
    return event


# Longest a broadcast may hold up the transition that sent it (Redis unreachable or stalled).
BROADCAST_TIMEOUT_SECONDS = 5.0


class _BroadcastLoop:
    """One event loop per process, on a daemon thread, that every broadcast from sync code runs on.

    Why not ``async_to_sync(layer.group_send)``: in a plain sync process (a Celery worker) that builds a new event
    loop per call, and channels_redis keeps its connection pool per loop, so every broadcast set up a loop and
    opened and closed a Redis connection: ~10 ms and ~5 ms of CPU per call on the 2-core bench machine, the
    largest single cost of a canary mission. One long-lived loop keeps one pool: ~0.5 ms (docs/performance.md).
    Blocking on the result keeps the old contract: the call returns once Redis has the message, so a mission's
    messages go out in the order of its transitions.
    """

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)  # the parent's loop thread does not exist in a child

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                threading.Thread(target=self._loop.run_forever, name="rex-broadcast-loop", daemon=True).start()
            return self._loop

    def run(self, coroutine: Coroutine[Any, Any, Any], timeout: float) -> Any:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._running_loop())
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise


_broadcast_loop = _BroadcastLoop()


# Events per channel-layer message when many go out together; keeps one message well under Redis' and the
# layer's comfortable sizes (an event is about 1 KB).
BROADCAST_CHUNK = 100


def broadcast_many(group: str, messages: list[dict[str, Any]]) -> None:
    """Send a transaction's ``mission.event`` messages for one group: one ``mission.events`` message per chunk.

    The dashboard consumer unpacks it into the same frames, in order (``MissionEventsConsumer.mission_events``).
    """
    if len(messages) == 1:
        broadcast(group, messages[0])
        return
    for start in range(0, len(messages), BROADCAST_CHUNK):
        chunk = messages[start:start + BROADCAST_CHUNK]
        broadcast(group, {"type": "mission.events",
                          "events": [{"mission": m["mission"], "event": m["event"]} for m in chunk]})


def broadcast(group: str, message: dict[str, Any]) -> None:
    """Send to a group; a channel-layer outage must never fail the mission itself, so it is logged and dropped."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        _broadcast_loop.run(layer.group_send(group, message), BROADCAST_TIMEOUT_SECONDS)
    except Exception:
        logger.warning("could not broadcast %s to %s", message.get("event", {}).get("kind") or message.get("type"), group,
                       exc_info=True)
