"""A canary submitted through the API runs on a real worker and its whole life arrives on the websocket."""

import pytest

from conftest import api_token_for
from missions.tests.e2e_helpers import collect_events, dashboard_socket, http_json

pytestmark = pytest.mark.e2e


def test_canary_goes_queued_running_succeeded_on_the_socket(asgi_server, start_worker, user):
    start_worker()
    token = api_token_for(user)
    with dashboard_socket(asgi_server, user) as socket:
        status, body = http_json("POST", f"{asgi_server}/api/rex/command", token=token,
                                 body={"type": "canary", "params": {"message": "hi"}})
        assert status == 201, body
        messages = collect_events(socket, body["id"], {"succeeded", "failed"})

    assert [m["mission"]["status"] for m in messages] == ["queued", "running", "succeeded"]
    status, detail = http_json("GET", f"{asgi_server}/api/missions/{body['id']}/", token=token)
    assert detail["result"]["echo"]["message"] == "hi"
    assert [e["kind"] for e in detail["events"]] == ["queued", "running", "succeeded"]
