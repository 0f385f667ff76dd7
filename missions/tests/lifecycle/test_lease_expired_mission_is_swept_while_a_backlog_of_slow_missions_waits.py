"""The sweeper never waits behind mission work (issue 12, item 1): with 1 000 slow missions queued on the mission
worker, a mission whose worker died (its lease lapsed) is put back by the next sweeps, run by the control worker,
while the backlog is still waiting. Before, one worker read rex.control only when every mission queue was empty:
sweeps expired unrun and the mission stayed `running`."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import wait_for
from missions.dispatch import send_missions
from missions.models import Mission, MissionStatus
from missions.tests.factories import submit_canary
from rex_project.celery import app as celery_app

pytestmark = pytest.mark.e2e

BACKLOG = 1000
FAST_SWEEPS = {"REX_SWEEP_INTERVAL_SECONDS": "1"}


def queue_a_backlog_of_slow_missions(organization) -> list[str]:
    """Inserted in one statement and sent in chunks, as a big command would be: cheap to make, slow to run."""
    now = timezone.now()
    missions = Mission.objects.bulk_create(
        Mission(organization=organization, type="canary", params={"sleep_ms": 2000, "n": n},
                idempotency_key=f"backlog-{n}", dispatched_at=now, dispatch_count=1, created_at=now, updated_at=now)
        for n in range(BACKLOG))
    ids = [str(mission.id) for mission in missions]
    assert send_missions(ids, "normal") == BACKLOG
    return ids


def test_a_mission_whose_worker_died_is_requeued_while_a_thousand_missions_wait(organization, start_worker,
                                                                                start_beat):
    backlog = queue_a_backlog_of_slow_missions(organization)
    start_worker(role="mission", **FAST_SWEEPS)
    wait_for(lambda: Mission.objects.filter(id__in=backlog, status=MissionStatus.RUNNING).exists(), 60,
             "the mission worker to start on the backlog")

    # A worker took this mission and died: its lease has lapsed, and only the sweeper can put it back.
    crashed = Mission.claim(submit_canary(organization, tag="crashed").id, worker="gone@nowhere")
    assert crashed is not None
    Mission.objects.filter(pk=crashed.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))

    control = start_worker(role="control", **FAST_SWEEPS)
    start_beat(**FAST_SWEEPS)
    try:
        requeued = wait_for(lambda: crashed.events.filter(kind="queued", data__reason="lease_expired").first(), 60,
                            "a sweep to requeue the mission of the dead worker")
        still_queued = Mission.objects.filter(id__in=backlog, status=MissionStatus.QUEUED).count()
    finally:
        celery_app.control.purge()  # the backlog's messages would only keep later tests' workers busy

    assert requeued.message == "lease of gone@nowhere expired; requeued"
    # Rescued while the backlog was still waiting: the sweep did not need the mission queues to drain.
    assert still_queued > BACKLOG * 0.9
    assert "Task missions.sweep_missions" in control.output()
    assert "Discarding revoked task" not in control.output()  # no sweep expired in the queue
