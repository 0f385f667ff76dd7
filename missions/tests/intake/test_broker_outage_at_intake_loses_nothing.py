"""Redis is unreachable when a mission is submitted: intake still accepts it, and the sweeper dispatches it later."""

import re
import subprocess
import sys

import pytest

from conftest import ROOT, child_env, wait_for
from missions.models import Mission

pytestmark = pytest.mark.e2e


def test_mission_submitted_while_broker_is_down_runs_once_it_is_back(organization, start_worker, start_beat):
    # The intake process's broker points at a port where nothing listens: the publish after commit fails.
    dead_broker = child_env(CELERY_BROKER_URL="redis://127.0.0.1:9/0", CELERY_BROKER_CONNECTION_TIMEOUT="0.5")
    submitted = subprocess.run(
        [sys.executable, "manage.py", "rex", "submit", "canary", "--params", '{"tag": "outage"}', "--org", "acme"],
        cwd=ROOT, env=dead_broker, capture_output=True, text=True, timeout=60,
    )
    assert submitted.returncode == 0, submitted.stderr
    mission_id = re.search(r"created mission ([0-9a-f-]{36})", submitted.stdout).group(1)
    assert Mission.objects.get(pk=mission_id).status == "queued"

    fast_sweeper = {"REX_SWEEP_INTERVAL_SECONDS": "1", "REX_REDISPATCH_AFTER_SECONDS": "1"}
    start_worker(**fast_sweeper)
    start_beat(**fast_sweeper)
    wait_for(lambda: Mission.objects.get(pk=mission_id).is_final, 60, "the swept mission to finish")

    mission = Mission.objects.get(pk=mission_id)
    assert mission.status == "succeeded"
    assert mission.dispatch_count >= 2  # the failed send at intake, then the sweeper's
    assert list(mission.events.values_list("kind", flat=True)) == ["queued", "running", "succeeded"]
