"""A worker that stalled past its lease and was replaced can no longer touch the mission: the worker that took
over owns the outcome."""

from datetime import timedelta

from django.utils import timezone

from missions.models import Mission, MissionStatus
from missions.tests.factories import submit_canary


def expire_lease(mission: Mission) -> None:
    Mission.objects.filter(pk=mission.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))


def test_stalled_worker_cannot_mark_succeeded_after_takeover(organization):
    mission = submit_canary(organization)
    stalled = Mission.claim(mission.id, worker="stalled")
    expire_lease(stalled)
    successor = Mission.claim(mission.id, worker="successor")
    assert successor is not None and successor.attempts == 2

    assert stalled.mark_succeeded({"by": "stalled"}) is False
    assert stalled.renew_lease() is False

    current = Mission.objects.get(pk=mission.pk)
    assert current.status == MissionStatus.RUNNING
    assert current.result is None
    assert current.worker == "successor"
    assert successor.mark_succeeded({"by": "successor"}) is True
    current.refresh_from_db()
    assert current.result == {"by": "successor"}
    assert [e.kind for e in current.events.all()] == ["queued", "running", "running", "succeeded"]


def test_stalled_worker_cannot_mark_failed_or_retrying_after_takeover(organization):
    mission = submit_canary(organization)
    stalled = Mission.claim(mission.id, worker="stalled")
    expire_lease(stalled)
    Mission.claim(mission.id, worker="successor")

    assert stalled.mark_failed({"message": "late", "recoverable": False}) is False
    assert stalled.mark_retrying({"message": "late", "recoverable": True}, 2) is False
    current = Mission.objects.get(pk=mission.pk)
    assert (current.status, current.error, current.worker) == (MissionStatus.RUNNING, None, "successor")


def test_live_lease_cannot_be_taken_over(organization):
    mission = submit_canary(organization)
    Mission.claim(mission.id, worker="busy")

    assert Mission.claim(mission.id, worker="intruder") is None
    assert Mission.objects.get(pk=mission.pk).worker == "busy"


def test_outcome_of_an_attempt_cancelled_meanwhile_is_discarded(organization):
    mission = submit_canary(organization)
    running = Mission.claim(mission.id, worker="w")
    Mission.objects.get(pk=mission.pk).cancel()

    assert running.mark_succeeded({"too": "late"}) is False
    current = Mission.objects.get(pk=mission.pk)
    assert current.status == MissionStatus.CANCELLED
    assert current.result is None
