"""SIGKILL the worker while it runs a chunk of slow canaries: the sweeper puts every claimed mission back once its
lease lapses, a new worker runs them, and each finishes exactly once."""

import signal

import pytest
from django.db import transaction

from agents.models import AgentLog
from conftest import wait_for
from missions.models import Mission
from missions.tests.factories import submit_canary

pytestmark = pytest.mark.e2e

LEASE = {"REX_MISSION_LEASE_SECONDS": "2", "REX_SWEEP_INTERVAL_SECONDS": "1", "REX_BATCH_BUDGET_SECONDS": "30"}


def test_every_mission_of_a_killed_chunk_succeeds_once(start_worker, start_beat, organization):
    first = start_worker(**LEASE)
    start_beat(**LEASE)
    with transaction.atomic():
        missions = [submit_canary(organization, sleep_ms=1500, n=i) for i in range(3)]
    ids = [m.id for m in missions]

    # One claim takes the whole chunk: all three are running before the first has finished.
    wait_for(lambda: Mission.objects.filter(id__in=ids, status="running").count() == 3, 30, "the chunk to be claimed")
    first.kill(signal.SIGKILL)
    assert not first.alive()

    start_worker(**LEASE)
    wait_for(lambda: all(m.is_final for m in Mission.objects.filter(id__in=ids)), 90, "the chunk to finish again")

    for mission in Mission.objects.filter(id__in=ids):
        assert mission.status == "succeeded"
        assert mission.attempts == 2
        kinds = list(mission.events.order_by("seq").values_list("kind", flat=True))
        assert kinds == ["queued", "running", "queued", "running", "succeeded"]
        assert mission.events.get(seq=3).data["reason"] == "lease_expired"
        # Only the attempt that completed was audited as a run; the killed one never reported.
        assert AgentLog.objects.filter(mission=mission, action="run").count() == 1
