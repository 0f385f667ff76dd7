"""A dashboard socket left idle stays open and still delivers the next mission's events.

The channel layer waits for messages with a blocking Redis read of several seconds; a Redis client whose own
socket timeout is not longer than that read tears the consumer down every few seconds (redis-py 8 defaults to
5 s, the same as channels_redis's wait), and a dashboard would blink offline and miss events.
"""

import json

import pytest
from websockets.exceptions import ConnectionClosed

from conftest import api_token_for
from missions.tests.e2e_helpers import collect_events, dashboard_socket, http_json

pytestmark = pytest.mark.e2e

IDLE_SECONDS = 12  # more than two of the channel layer's 5 s blocking reads


def test_idle_dashboard_socket_stays_open_and_delivers_events(asgi_server, start_worker, user):
    start_worker()
    token = api_token_for(user)
    with dashboard_socket(asgi_server, user) as socket:
        try:
            unexpected = socket.recv(timeout=IDLE_SECONDS)
        except TimeoutError:
            pass  # nothing happened, and the socket is still open
        except (ConnectionClosed, OSError) as exc:
            pytest.fail(f"the idle dashboard socket was closed by the server: {exc}")
        else:
            pytest.fail(f"unexpected message on an idle socket: {json.loads(unexpected)}")

        status, body = http_json("POST", f"{asgi_server}/api/rex/command", token=token,
                                 body={"type": "canary", "params": {"message": "after a quiet spell"}})
        assert status == 201, body
        messages = collect_events(socket, body["id"], {"succeeded", "failed"})
    assert [m["mission"]["status"] for m in messages] == ["queued", "running", "succeeded"]
