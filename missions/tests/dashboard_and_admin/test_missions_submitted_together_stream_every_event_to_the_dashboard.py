"""Thirty canaries committed in one transaction run on a real worker in chunks, and the dashboard socket receives
every one of their events, each mission's in order: queued, running, succeeded."""

import json
import time
from collections import defaultdict

import pytest
from django.db import transaction

from missions.models import Mission
from missions.tests.e2e_helpers import dashboard_socket
from missions.tests.factories import submit_canary

pytestmark = pytest.mark.e2e


def test_every_event_of_a_multi_mission_command_reaches_the_socket(asgi_server, start_worker, user, organization,
                                                                   settings):
    settings.REX_DISPATCH_BATCH_SIZE = 8  # four chunks (8, 8, 8, 6) for the worker's two processes
    start_worker(concurrency=2)
    with dashboard_socket(asgi_server, user) as socket:
        with transaction.atomic():
            missions = [submit_canary(organization, message=f"m{i}") for i in range(30)]
        ids = {str(m.id) for m in missions}
        seen: dict[str, list[tuple[int, str]]] = defaultdict(list)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sum(kinds[-1:] == [(3, "succeeded")] for kinds in seen.values()) < 30:
            message = json.loads(socket.recv(timeout=max(deadline - time.monotonic(), 0.01)))
            if message.get("type") == "mission.event" and message["mission"]["id"] in ids:
                seen[message["mission"]["id"]].append((message["event"]["seq"], message["event"]["kind"]))

    assert set(seen) == ids
    for mission_id, kinds in seen.items():
        assert kinds == [(1, "queued"), (2, "running"), (3, "succeeded")], mission_id
    assert set(Mission.objects.filter(id__in=ids).values_list("status", flat=True)) == {"succeeded"}
