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


def result_counts(result: Any, prefix: str = "") -> list[tuple[str, int | float]]:
    """The numbers of a mission's result ("sent": 48, "skipped.suppressed": 2), in the stored result's order.

    Only numbers, one level of nesting deep: a result is the agent's own shape, and its counts are what people
    ask a status for; lists and texts stay in the mission's detail.
    """
    counts: list[tuple[str, int | float]] = []
    if not isinstance(result, dict):
        return counts
    for key, value in result.items():
        name = f"{prefix}{key}"
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            counts.append((name, value))
        elif isinstance(value, dict) and not prefix:
            counts.extend(result_counts(value, f"{name}."))
    return counts


def mission_status_answer(mission: Mission) -> dict[str, Any]:
    """A table: the mission's status and attempts, then the counts of its result (docs/decision-engine.md)."""
    snapshot = {**mission_snapshot(mission), "params": mission.params, "result": mission.result}
    line = f"{mission.type} {str(mission.id)[:8]} is {mission.status} (attempt {mission.attempts} of {mission.max_attempts})"
    if mission.error and mission.error.get("message"):
        line += f": {mission.error['message']}"
    rows: list[list[Any]] = [["status", mission.status], ["attempts", f"{mission.attempts} of {mission.max_attempts}"]]
    rows += [[name, value] for name, value in result_counts(mission.result)]
    if mission.error and mission.error.get("message"):
        rows.append(["error", mission.error["message"]])
    return {"kind": "table", "title": f"Mission {mission.type} {str(mission.id)[:8]}", "columns": ["", "value"],
            "rows": rows, "mission": snapshot, "text": line}
