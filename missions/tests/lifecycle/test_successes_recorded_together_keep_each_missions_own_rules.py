"""``Mission.mark_many_succeeded`` records a chunk's successes in one statement, with each mission's own rules kept:
only a mission still running under its own lease moves, each gets its own result, ``succeeded`` event (next seq,
same message as ``mark_succeeded``) and refreshed fields, and the answers come back in the order given."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from missions.models import Mission, MissionStatus, events_inserted_together
from missions.tests.factories import submit_canary

pytestmark = pytest.mark.django_db


def claimed(organization, worker: str = "w1") -> Mission:
    mission = Mission.claim(submit_canary(organization).id, worker=worker)
    assert mission is not None
    return mission


def test_each_success_gets_its_own_result_event_and_fields(organization):
    first, second, reused = claimed(organization), claimed(organization), claimed(organization)

    with transaction.atomic(), events_inserted_together():
        won = Mission.mark_many_succeeded([(first, {"n": 1}, ""), (second, {"n": 2, "ü": [None]}, ""),
                                           (reused, {"n": 3}, "cache")])

    assert won == [True, True, True]
    for mission, result in ((first, {"n": 1}), (second, {"n": 2, "ü": [None]}), (reused, {"n": 3})):
        stored = Mission.objects.get(pk=mission.pk)
        assert (stored.status, stored.result, stored.error, stored.lease_token) == (
            MissionStatus.SUCCEEDED, result, None, "")
        assert stored.finished_at is not None and stored.lease_expires_at is None
        # The instance holds the row as stored, as after mark_succeeded.
        assert (mission.status, mission.result, mission.finished_at) == (stored.status, result, stored.finished_at)
        assert list(stored.events.values_list("seq", "kind", "from_status")) == [
            (1, "queued", ""), (2, "running", "queued"), (3, "succeeded", "running")]
    assert first.events.get(kind="succeeded").message == "succeeded on attempt 1"
    assert reused.events.get(kind="succeeded").data == {"attempt": 1, "reused_from": "cache"}


def test_a_mission_cancelled_or_taken_over_meanwhile_is_left_as_it_is(organization):
    kept, cancelled, stalled = claimed(organization), claimed(organization), claimed(organization, "stalled")
    Mission.objects.get(pk=cancelled.pk).cancel()
    Mission.objects.filter(pk=stalled.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    successor = Mission.claim(stalled.pk, worker="successor")
    assert successor is not None

    with transaction.atomic(), events_inserted_together():
        won = Mission.mark_many_succeeded([(cancelled, {"late": 1}, ""), (kept, {"ok": 1}, ""),
                                           (stalled, {"late": 2}, "")])

    assert won == [False, True, False]
    assert Mission.objects.get(pk=cancelled.pk).status == MissionStatus.CANCELLED
    assert Mission.objects.get(pk=cancelled.pk).result is None
    taken = Mission.objects.get(pk=stalled.pk)
    assert (taken.status, taken.worker, taken.result) == (MissionStatus.RUNNING, "successor", None)
    assert not taken.events.filter(kind="succeeded").exists()
    assert Mission.objects.get(pk=kept.pk).result == {"ok": 1}


def test_many_successes_are_one_statement(organization):
    missions = [claimed(organization) for _ in range(10)]

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert Mission.mark_many_succeeded([(m, {"i": i}, "") for i, m in enumerate(missions)]) == [True] * 10

    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert sorted(Mission.objects.filter(status=MissionStatus.SUCCEEDED).values_list("result__i", flat=True)) == \
        list(range(10))


def test_a_mission_listed_twice_succeeds_once(organization):
    twice, other = claimed(organization), claimed(organization)

    with transaction.atomic(), events_inserted_together():
        won = Mission.mark_many_succeeded([(twice, {"first": 1}, ""), (other, {}, ""), (twice, {"second": 2}, "")])

    assert won == [True, True, False]
    assert Mission.objects.get(pk=twice.pk).result == {"first": 1}
    assert list(Mission.objects.get(pk=twice.pk).events.values_list("kind", flat=True)) == [
        "queued", "running", "succeeded"]
