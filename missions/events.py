"""Mission timeline events and their live frames.

An event row is written inside the transaction that changed the mission; its frame goes to the dashboards on the
``missions`` stream only after that transaction commits (``live.publish``), so a dashboard never shows a state
the database then rolls back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db.models import Max

from live.publish import publish

if TYPE_CHECKING:
    from missions.models import Mission, MissionEvent

logger = logging.getLogger(__name__)


# The live stream the dashboard's mission rows and timelines listen to (declared in MissionsConfig.ready).
STREAM = "missions"


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
    """The event row that follows ``last_seq`` (not yet saved), with its live frame published after commit."""
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
    publish(mission.organization_id, STREAM,
            {"type": "mission.event", "mission": mission_snapshot(mission), "event": event_payload(event)})
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
