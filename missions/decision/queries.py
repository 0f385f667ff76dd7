"""Questions the rules answer themselves, without a mission: the status of a mission."""

from __future__ import annotations

import re
import uuid
from typing import Any

from missions.events import mission_snapshot
from missions.models import Mission, Organization


def find_mission(organization: Organization, ref: str) -> Mission:
    """The caller's mission whose id is ``ref`` or starts with it (at least 6 hex characters)."""
    hex_digits = ref.lower().replace("-", "")
    if not re.fullmatch(r"[0-9a-f]{6,32}", hex_digits):
        raise ValueError(f"{ref!r} is not a mission id: give the mission's id or at least its first 6 characters")
    missions = Mission.objects.filter(organization=organization)
    if len(hex_digits) == 32:
        found = list(missions.filter(pk=uuid.UUID(hex_digits)))
    else:
        # Hyphens where the canonical text form has them: PostgreSQL compares uuid::text, SQLite the bare hex.
        prefix = "-".join(hex_digits[a:b] for a, b in ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32)) if hex_digits[a:b])
        found = list(missions.filter(id__startswith=prefix).order_by("-created_at")[:2])
    if not found:
        raise ValueError(f"none of your organization's missions has an id starting with {ref!r}")
    if len(found) > 1:
        raise ValueError(f"{ref!r} matches more than one of your missions; give more characters of the id")
    return found[0]


def mission_status_answer(mission: Mission) -> dict[str, Any]:
    snapshot = {**mission_snapshot(mission), "params": mission.params, "result": mission.result}
    line = f"{mission.type} {str(mission.id)[:8]} is {mission.status} (attempt {mission.attempts} of {mission.max_attempts})"
    if mission.error and mission.error.get("message"):
        line += f": {mission.error['message']}"
    return {"mission": snapshot, "text": line}
