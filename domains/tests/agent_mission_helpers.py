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

from agents.models import AgentLog, SpendBudget
from missions.models import Mission, MissionStatus
from missions.runner import run_claimed
from missions.services import submit_mission
from tenants.models import Organization


def spend_without_asking(organization: Organization) -> None:
    """Raise the organization's approval threshold out of reach (its default, 0, makes every purchase ask)."""
    SpendBudget.objects.update_or_create(organization=organization,
                                         defaults={"approval_threshold_cents": 10**12, "monthly_budget_cents": None})


def submit(organization: Organization, mission_type: str, params: dict[str, Any]) -> Mission:
    """A fresh queued mission through the real intake (its own idempotency key: equal params never collapse).

    Spending is pre-approved for the organization: these tests are about what the agents do once running; the
    approval of spend has tests of its own (missions/tests/approvals).
    """
    spend_without_asking(organization)
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
