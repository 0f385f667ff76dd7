"""A retrying mission waits for its next_attempt_at: an early message is refused, a due one is taken."""

from datetime import timedelta

from django.utils import timezone

from missions.models import Mission, MissionStatus
from missions.tests.factories import drive_to, submit_canary


def test_claim_before_next_attempt_at_returns_none(organization):
    mission = drive_to(submit_canary(organization), MissionStatus.RETRYING)  # retry due in 60 s

    assert Mission.claim(mission.id, worker="eager-worker") is None

    mission.refresh_from_db()
    assert mission.status == MissionStatus.RETRYING
    assert mission.attempts == 1


def test_claim_once_the_retry_is_due_starts_the_next_attempt(organization):
    mission = drive_to(submit_canary(organization), MissionStatus.RETRYING)
    Mission.objects.filter(pk=mission.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))

    claimed = Mission.claim(mission.id, worker="punctual-worker")

    assert claimed is not None
    assert claimed.status == MissionStatus.RUNNING
    assert claimed.attempts == 2
    assert claimed.next_attempt_at is None
