"""The missions part of the demo seed (``ops.seed``): four canary missions that show every outcome on the dashboard.

Registered in ``MissionsConfig.ready``; their fixed idempotency keys make a second seed find them, not add more.
"""

from __future__ import annotations

from typing import Any

from missions.services import submit_mission
from tenants.models import Organization

DEMO_MISSIONS = [
    ("demo-canary-hello", {"message": "hello from the demo seed"}, "normal"),
    ("demo-canary-flaky", {"message": "fails once, then succeeds", "fail_times": 1}, "high"),
    ("demo-canary-slow", {"message": "takes three seconds", "sleep_ms": 3000}, "low"),
    ("demo-canary-doomed", {"message": "fails every attempt", "fail_times": 10}, "normal"),
]


def seed_demo_missions(organization: Organization, user: Any) -> dict[str, int]:
    created = 0
    for key, params, priority in DEMO_MISSIONS:
        submission = submit_mission(organization, mission_type="canary", params=params, priority=priority,
                                    idempotency_key=key, requested_by=user)
        created += int(submission.created)
    return {"demo mission(s)": created}
