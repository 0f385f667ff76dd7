"""SIGKILL the worker while it runs a chunk of slow canaries: the mission it was running comes back once its lease
lapses, the ones it had not claimed yet (a chunk is claimed in waves, a slow mission alone) are sent again by the
sweeper, a new worker runs them, and each finishes exactly once."""

import signal

import pytest
from django.db import transaction

from agents.models import AgentLog
from conftest import wait_for
from missions.models import Mission
from missions.tests.factories import submit_canary

pytestmark = pytest.mark.e2e

LEASE = {"REX_MISSION_LEASE_SECONDS": "2", "REX_SWEEP_INTERVAL_SECONDS": "1", "REX_BATCH_BUDGET_SECONDS": "30",
         "REX_REDISPATCH_AFTER_SECONDS": "2"}


def test_every_mission_of_a_killed_chunk_succeeds_once(start_worker, start_beat, organization):
    first = start_worker(**LEASE)
    start_beat(**LEASE)
    with transaction.atomic():
        missions = [submit_canary(organization, sleep_ms=1500, tag=f"n{i}") for i in range(3)]
    ids = [m.id for m in missions]

    # Slow missions are claimed one at a time: only the first is running, the others wait unclaimed.
    wait_for(lambda: Mission.objects.filter(id=ids[0], status="running").exists(), 30, "the chunk to start")
    assert Mission.objects.filter(id__in=ids, status="running").count() == 1
    first.kill(signal.SIGKILL)
    assert not first.alive()

    start_worker(**LEASE)
    wait_for(lambda: all(m.is_final for m in Mission.objects.filter(id__in=ids)), 90, "the chunk to finish again")

    killed, *waiting = Mission.objects.filter(id__in=ids).order_by("params__n")
    assert (killed.status, killed.attempts) == ("succeeded", 2)
    assert list(killed.events.order_by("seq").values_list("kind", flat=True)) == [
        "queued", "running", "queued", "running", "succeeded"]
    assert killed.events.get(seq=3).data["reason"] == "lease_expired"
    for mission in waiting:
        assert (mission.status, mission.attempts) == ("succeeded", 1)
        assert list(mission.events.order_by("seq").values_list("kind", flat=True)) == ["queued", "running",
                                                                                      "succeeded"]
    # Only the attempts that completed were audited as runs; the killed one never reported.
    for mission in [killed, *waiting]:
        assert AgentLog.objects.filter(mission=mission, action="run").count() == 1
