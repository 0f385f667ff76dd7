"""Missions in a given state, reached through the real intake and the real state-machine transitions."""

from __future__ import annotations

import uuid
from typing import Any

from missions.models import Mission, MissionStatus
from missions.services import submit_mission
from tenants.models import Organization


def submit_canary(organization: Organization, *, priority: str = "normal", **params: Any) -> Mission:
    """A fresh queued canary mission (its own idempotency key, so equal params never collapse into one)."""
    return submit_mission(organization, mission_type="canary", params=params, priority=priority,
                          idempotency_key=f"test-{uuid.uuid4().hex}").mission


def drive_to(mission: Mission, status: str) -> Mission:
    """Take a queued mission to ``status`` the way a worker (or a user, for cancelled) would."""
    if status == MissionStatus.QUEUED:
        return mission
    if status == MissionStatus.CANCELLED:
        mission.cancel()
        return mission
    running = Mission.claim(mission.id, worker="factory")
    assert running is not None, f"could not claim {mission}"
    changed = {
        MissionStatus.RUNNING: lambda: True,
        MissionStatus.SUCCEEDED: lambda: running.mark_succeeded({"ok": True}),
        MissionStatus.FAILED: lambda: running.mark_failed({"message": "boom", "recoverable": False}),
        MissionStatus.RETRYING: lambda: running.mark_retrying({"message": "flaky", "recoverable": True}, 60),
    }[status]()
    assert changed, f"could not take {running} to {status}"
    return running
