"""Running the domain and sending agents' missions in this process, attempt by attempt, as a worker would.

``run_attempt`` claims and runs one attempt with the real runner. A recoverable failure leaves the mission
``retrying`` with its next attempt 2, 4 or 8 s away; ``run_attempt`` makes that attempt due at once (the due time
is what the claim checks) instead of sleeping, so tests can walk a mission through all its attempts.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone

from agents.models import AgentLog
from missions.models import Mission, MissionStatus
from missions.runner import run_claimed
from missions.services import submit_mission
from tenants.models import Organization


def submit(organization: Organization, mission_type: str, params: dict[str, Any]) -> Mission:
    """A fresh queued mission through the real intake (its own idempotency key: equal params never collapse)."""
    return submit_mission(organization, mission_type=mission_type, params=params,
                          idempotency_key=f"test-{uuid.uuid4().hex}").mission


def run_attempt(mission: Mission) -> str:
    """Run the mission's next attempt in-process (due now if it was retrying); returns the runner's outcome."""
    Mission.objects.filter(pk=mission.pk, status=MissionStatus.RETRYING).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1))
    outcome = run_claimed(str(mission.id), worker="test")
    mission.refresh_from_db()
    return outcome


def steps(mission: Mission, *, attempt: int | None = None) -> list[AgentLog]:
    """The mission's audit rows in the order they were written (of one attempt, if given)."""
    rows = AgentLog.objects.filter(mission=mission)
    if attempt is not None:
        rows = rows.filter(attempt=attempt)
    return list(rows.order_by("id"))
