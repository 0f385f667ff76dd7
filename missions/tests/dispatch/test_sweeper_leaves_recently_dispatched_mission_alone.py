"""The sweeper does not re-send a queued mission dispatched recently, and backs off on one it already re-sent."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from missions import sweeper
from missions.models import Mission
from missions.tests.factories import submit_canary
from missions.tests.publishing import published_tasks


def test_freshly_dispatched_mission_is_not_sent_again(organization):
    mission = submit_canary(organization)
    dispatched_at = Mission.objects.get(pk=mission.pk).dispatched_at

    with published_tasks() as published:
        counts = sweeper.sweep()

    assert counts == {"requeued_lost": 0, "redispatched": 0, "retries_resent": 0, "waits_expired": 0}
    assert published == []
    mission.refresh_from_db()
    assert (mission.dispatched_at, mission.dispatch_count) == (dispatched_at, 1)


def test_mission_already_resent_once_waits_twice_as_long(organization):
    grace = settings.REX_REDISPATCH_AFTER_SECONDS
    mission = submit_canary(organization)
    last_dispatch = timezone.now() - timedelta(seconds=grace + 1)  # past the grace, within the doubled backoff
    Mission.objects.filter(pk=mission.pk).update(dispatched_at=last_dispatch, dispatch_count=2)

    with published_tasks() as published:
        counts = sweeper.sweep()

    assert counts["redispatched"] == 0
    assert published == []
    mission.refresh_from_db()
    assert (mission.dispatched_at, mission.dispatch_count) == (last_dispatch, 2)
