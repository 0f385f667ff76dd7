"""What a mission and its timeline events look like to a dashboard, and their live frames.

The event rows are written by ``missions.models`` inside the transaction that changed the mission; their frames
go to the dashboards on the ``missions`` stream only after that transaction commits (``live.publish``), so a
dashboard never shows a state the database then rolls back. Reads no table: the models import this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from live.publish import publish

if TYPE_CHECKING:
    from missions.models import Mission, MissionEvent

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
        # What it is expected to cost and the quote a person approves (awaiting_approval): the row and the panel
        # show them, and the Approve / Reject buttons follow the status live.
        "estimated_cost_cents": mission.estimated_cost_cents,
        "cost_quote": mission.cost_quote,
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


def publish_event(mission: Mission, event: MissionEvent) -> None:
    """Publish the event's frame on the ``missions`` stream; it leaves after the transaction commits."""
    publish(mission.organization_id, STREAM,
            {"type": "mission.event", "mission": mission_snapshot(mission), "event": event_payload(event)})
