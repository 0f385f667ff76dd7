"""Mission timeline events and their live broadcast.

An event row is written inside the transaction that changed the mission; the websocket message goes out only
after that transaction commits, so a dashboard never shows a state the database then rolls back.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
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


def record_event(mission: Mission, *, kind: str, from_status: str = "", message: str = "",
                 data: dict[str, Any] | None = None, actor: Any = None) -> MissionEvent:
    """Append an event to the mission's timeline; must run inside the transaction that changed the mission.

    The mission row was just updated in this transaction, which holds its row lock (PostgreSQL) or the
    database write lock (SQLite IMMEDIATE), so computing the next ``seq`` here cannot race.
    """
    from missions.models import MissionEvent

    last = MissionEvent.objects.filter(mission=mission).aggregate(m=Max("seq"))["m"] or 0
    event = MissionEvent.objects.create(
        mission=mission,
        seq=last + 1,
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
    transaction.on_commit(lambda: broadcast(group, message_body))
    return event


def broadcast(group: str, message: dict[str, Any]) -> None:
    """Send to a group; a channel-layer outage must never fail the mission itself, so it is logged and dropped."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        logger.warning("could not broadcast %s to %s", message.get("event", {}).get("kind"), group, exc_info=True)
