""""status of mission <id>" answers a table: the mission's status and attempts, then the counts in its result
(nested ones one level deep, as "skipped.suppressed"), and keeps the mission and the one-line text it always had."""

import pytest

from missions.decision import do_command
from missions.models import Mission

pytestmark = pytest.mark.django_db


def test_the_status_table_lists_the_result_counts(organization):
    mission = Mission.objects.create(
        organization=organization, type="send_campaign", idempotency_key="status-table", status="succeeded",
        attempts=1, result={"sent": 48, "campaign": "spring-launch", "skipped": {"suppressed": 2, "capped": 0},
                            "dry_run": False, "recipients": ["a@example.net"]})

    answer = do_command({"command": f"status of mission {str(mission.id)[:8]}"}, organization=organization).decision.answer

    assert (answer["kind"], answer["title"], answer["columns"]) == (
        "table", f"Mission send_campaign {str(mission.id)[:8]}", ["", "value"])
    assert answer["rows"][:2] == [["status", "succeeded"], ["attempts", "1 of 4"]]
    # In the order the stored result holds them (PostgreSQL's jsonb orders keys its own way).
    assert sorted(answer["rows"][2:]) == [["sent", 48], ["skipped.capped", 0], ["skipped.suppressed", 2]]
    assert answer["mission"]["id"] == str(mission.id)
    assert answer["text"] == f"send_campaign {str(mission.id)[:8]} is succeeded (attempt 1 of 4)"
