"""Mission.requeue_lost: a running mission whose lease ran out goes back to queued, or fails if that was its last
attempt; a mission whose lease is still live is left alone."""

from datetime import timedelta

from django.utils import timezone

from missions.models import Mission, MissionStatus
from missions.tests.factories import submit_canary


def lost(mission: Mission) -> Mission:
    """The mission as the sweeper sees it after its worker stopped renewing the lease."""
    Mission.objects.filter(pk=mission.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    return Mission.objects.get(pk=mission.pk)


def test_expired_lease_puts_the_mission_back_in_the_queue(organization):
    mission = submit_canary(organization)
    running = lost(Mission.claim(mission.id, worker="dead-worker"))
    dispatches_before = running.dispatch_count

    assert running.requeue_lost() is True

    mission.refresh_from_db()
    assert mission.status == MissionStatus.QUEUED
    assert mission.lease_token == "" and mission.lease_expires_at is None
    assert mission.attempts == 1  # the lost attempt counts
    assert mission.dispatch_count == dispatches_before + 1
    event = mission.events.last()
    assert (event.kind, event.from_status, event.data["reason"]) == ("queued", "running", "lease_expired")
    assert Mission.claim(mission.id, worker="next-worker").attempts == 2


def test_expired_lease_on_the_last_attempt_fails_the_mission(organization):
    mission = submit_canary(organization)
    Mission.objects.filter(pk=mission.pk).update(attempts=mission.max_attempts - 1)
    running = lost(Mission.claim(mission.id, worker="dead-worker"))
    assert running.attempts == running.max_attempts

    assert running.requeue_lost() is True

    mission.refresh_from_db()
    assert mission.status == MissionStatus.FAILED
    assert mission.error == {"message": "worker lost during the last attempt", "recoverable": False}
    assert mission.finished_at is not None
    assert mission.events.last().kind == "failed"


def test_live_lease_is_not_requeued(organization):
    mission = submit_canary(organization)
    running = Mission.claim(mission.id, worker="healthy-worker")

    assert running.requeue_lost() is False
    assert Mission.objects.get(pk=mission.pk).status == MissionStatus.RUNNING
