"""Each mission's timeline is numbered 1..n in the order things happened, and each event starts where the
previous one ended."""

from datetime import timedelta

from django.utils import timezone

from missions.models import Mission
from missions.tests.factories import submit_canary


def test_events_of_a_retried_then_succeeded_mission_are_1_to_n(organization):
    mission = submit_canary(organization)
    Mission.claim(mission.id, worker="w1").mark_retrying({"message": "flaky", "recoverable": True}, 2)
    Mission.objects.filter(pk=mission.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    Mission.claim(mission.id, worker="w2").mark_succeeded({"ok": True})
    other = submit_canary(organization)  # another mission's timeline starts at 1 of its own

    events = list(mission.events.order_by("id"))

    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert [e.kind for e in events] == ["queued", "running", "retrying", "running", "succeeded"]
    assert [e.from_status for e in events[1:]] == [e.to_status for e in events[:-1]]
    assert list(other.events.values_list("seq", flat=True)) == [1]
