"""SIGKILL the worker in the middle of a slow canary: the mission is taken up again and finishes exactly once."""

import signal

import pytest

from agents.models import AgentLog
from conftest import wait_for
from missions.models import Mission
from missions.services import submit_mission

pytestmark = pytest.mark.e2e

LEASE = {"REX_MISSION_LEASE_SECONDS": "2", "REX_SWEEP_INTERVAL_SECONDS": "1"}


def test_sigkilled_worker_loses_nothing_and_the_mission_succeeds_once(start_worker, start_beat, organization):
    first = start_worker(**LEASE)
    start_beat(**LEASE)
    mission = submit_mission(organization, mission_type="canary", params={"sleep_ms": 3000, "tag": "kill-me"}).mission

    wait_for(lambda: Mission.objects.get(pk=mission.pk).status == "running", 30, "the canary to start")
    first.kill(signal.SIGKILL)
    assert not first.alive()

    start_worker(**LEASE)
    wait_for(lambda: Mission.objects.get(pk=mission.pk).is_final, 60, "the canary to finish on the new worker")

    mission.refresh_from_db()
    assert mission.status == "succeeded"
    assert mission.attempts == 2
    kinds = list(mission.events.order_by("seq").values_list("kind", flat=True))
    assert kinds == ["queued", "running", "queued", "running", "succeeded"]
    requeue = mission.events.get(seq=3)
    assert requeue.data["reason"] == "lease_expired"
    assert kinds.count("succeeded") == 1
    # Only the attempt that completed was audited as a run; the killed one never reported.
    assert AgentLog.objects.filter(mission=mission, action="run").count() == 1
