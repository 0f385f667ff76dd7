"""missions.sweeper.sweep() sends again a mission that has stayed queued too long since its last dispatch
(its message was lost, or the broker was down at intake)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from missions import sweeper
from missions.models import Mission, MissionStatus
from missions.tests.factories import submit_canary
from missions.tests.publishing import published_mission_ids, published_tasks


def test_stale_queued_mission_is_sent_again(organization):
    mission = submit_canary(organization, priority="low")
    stale_since = timezone.now() - timedelta(seconds=settings.REX_REDISPATCH_AFTER_SECONDS + 1)
    Mission.objects.filter(pk=mission.pk).update(dispatched_at=stale_since)
    now = timezone.now()

    with published_tasks() as published:
        counts = sweeper.sweep(now=now)

    assert counts["redispatched"] == 1
    assert published_mission_ids(published) == [str(mission.id)]
    assert published[0].queue == "missions.low"
    mission.refresh_from_db()
    assert mission.status == MissionStatus.QUEUED
    assert mission.dispatched_at == now
    assert mission.dispatch_count == 2


@pytest.mark.django_db(transaction=True)  # the re-dispatch of a requeued mission waits for a real commit
def test_sweeper_requeues_and_redispatches_mission_of_a_dead_worker(organization):
    mission = submit_canary(organization)
    Mission.claim(mission.id, worker="dead-worker")
    Mission.objects.filter(pk=mission.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))

    with published_tasks() as published:
        counts = sweeper.sweep()

    assert counts["requeued_lost"] == 1
    assert published_mission_ids(published) == [str(mission.id)]
    mission.refresh_from_db()
    assert mission.status == MissionStatus.QUEUED
    assert mission.attempts == 1


def test_a_backlog_of_stale_missions_is_sent_again_in_chunks_per_priority(organization, settings):
    settings.REX_DISPATCH_BATCH_SIZE = 3
    normal = [submit_canary(organization) for _ in range(4)]
    high = submit_canary(organization, priority="high")
    stale_since = timezone.now() - timedelta(seconds=settings.REX_REDISPATCH_AFTER_SECONDS + 1)
    Mission.objects.update(dispatched_at=stale_since)

    with published_tasks() as published:
        counts = sweeper.sweep()

    assert counts["redispatched"] == 5
    assert sorted(published_mission_ids(published)) == sorted(str(m.id) for m in [*normal, high])
    assert sorted((task.task, task.queue) for task in published) == [
        ("missions.run_batch", "missions.normal"), ("missions.run_mission", "missions.high"),
        ("missions.run_mission", "missions.normal")]
