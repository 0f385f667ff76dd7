"""Against the real web server (2 workers, a pool of 4 database connections each): with more requests waiting than
the server has pooled connections, other requests (a plain status read, a command) are still answered while every
waiter is still waiting; then the waiters answer when their mission finishes."""

import json
import urllib.request

import pytest

from conftest import api_token_for
from missions.tests.api.waiting.helpers import StatusRequest
from missions.tests.factories import drive_to, submit_canary

pytestmark = pytest.mark.e2e

WAITERS = 12  # more than the two workers' 8 pooled connections: a waiter holding one would starve the others


def test_other_requests_are_served_while_many_wait(asgi_server, user, organization):
    token = api_token_for(user)
    mission = submit_canary(organization)

    waiters = [StatusRequest(asgi_server, token, [mission.id], wait=30) for _ in range(WAITERS)]
    assert all(w.status == 200 and w.is_streamed() for w in waiters)  # every one of them is waiting now

    plain = StatusRequest(asgi_server, token, [mission.id])
    assert plain.status == 200 and not plain.is_streamed()
    assert [m["status"] for m in plain.body()["missions"]] == ["queued"]
    command = urllib.request.Request(f"{asgi_server}/api/rex/command", method="POST",
                                     data=json.dumps({"type": "canary", "params": {"tag": "meanwhile"}}).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": f"Token {token}"})
    with urllib.request.urlopen(command, timeout=30) as answer:
        assert answer.status == 201

    drive_to(mission, "succeeded")
    assert [[m["status"] for m in w.body()["missions"]] for w in waiters] == [["succeeded"]] * WAITERS
