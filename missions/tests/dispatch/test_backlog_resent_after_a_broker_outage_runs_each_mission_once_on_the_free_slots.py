"""30 slow missions committed while the broker is down go out again as one backlog once it is back (the sweeper
sends them in chunks): each is marked `running` once, when a worker really starts it, and never more missions
are running than the workers have slots. Before issue 12 (item 5) a chunk was claimed whole and handed back when
its budget ran out, so every mission bounced between the workers: 690 events for 30 missions."""

import subprocess
import sys
from datetime import datetime

import pytest

from conftest import ROOT, child_env, wait_for
from missions.models import Mission, MissionEvent

pytestmark = pytest.mark.e2e

MISSIONS = 30
SLOTS = 2
# Each canary takes a little longer than a chunk's budget: the case where a claimed chunk used to churn.
SLOW = {"REX_BATCH_BUDGET_SECONDS": "0.5", "REX_SWEEP_INTERVAL_SECONDS": "1", "REX_REDISPATCH_AFTER_SECONDS": "2"}

# Run in a process whose broker is a port where nothing listens: the missions commit, their publish fails.
SUBMIT_DURING_OUTAGE = f"""
from django.db import transaction
from missions.services import submit_mission
from tenants.models import Organization
org = Organization.objects.get(slug="acme")
with transaction.atomic():
    for n in range({MISSIONS}):
        submit_mission(org, mission_type="canary", params={{"sleep_ms": 600, "tag": f"n{{n}}"}},
                       idempotency_key=f"outage-{{n}}")
"""


def most_running_at_once(events: list[tuple[str, str, datetime]]) -> int:
    """The largest number of missions between their `running` event and the next event, at any moment."""
    edges = []
    open_since: dict[str, datetime] = {}
    for mission_id, kind, at in events:
        if kind == "running":
            open_since[mission_id] = at
        elif mission_id in open_since:
            edges += [(open_since.pop(mission_id), 1), (at, -1)]
    running = most = 0
    for _, step in sorted(edges, key=lambda edge: (edge[0], edge[1])):  # an end before a start at the same instant
        running += step
        most = max(most, running)
    return most


def test_thirty_slow_missions_resent_after_an_outage_run_once_each_within_the_slots(organization, start_worker,
                                                                                     start_beat):
    outage = child_env(CELERY_BROKER_URL="redis://127.0.0.1:9/0", CELERY_BROKER_CONNECTION_TIMEOUT="0.5")
    submitted = subprocess.run([sys.executable, "manage.py", "shell", "-c", SUBMIT_DURING_OUTAGE], cwd=ROOT,
                               env=outage, capture_output=True, text=True, timeout=120)
    assert submitted.returncode == 0, submitted.stderr
    ids = list(Mission.objects.filter(idempotency_key__startswith="outage-").values_list("id", flat=True))
    assert len(ids) == MISSIONS
    assert set(Mission.objects.filter(id__in=ids).values_list("status", flat=True)) == {"queued"}

    start_worker(concurrency=SLOTS, role="mission", **SLOW)
    start_worker(role="control", **SLOW)
    start_beat(**SLOW)
    wait_for(lambda: Mission.objects.filter(id__in=ids, status="succeeded").count() == MISSIONS, 120,
             "the backlog to finish")

    events = list(MissionEvent.objects.filter(mission_id__in=ids).order_by("created_at", "seq")
                  .values_list("mission_id", "kind", "created_at"))
    for mission in Mission.objects.filter(id__in=ids):
        assert list(mission.events.values_list("kind", flat=True)) == ["queued", "running", "succeeded"], mission
        assert mission.attempts == 1
    assert len(events) == 3 * MISSIONS  # linear in the missions: nothing bounced
    assert most_running_at_once(events) <= SLOTS
