"""GET /healthz is 200 only when the database, Redis and a worker of each role (mission, control) answer."""

import pytest

from missions.tests.e2e_helpers import http_json

pytestmark = pytest.mark.e2e


def test_healthz_is_503_until_a_mission_worker_and_a_control_worker_both_answer(asgi_server, start_worker):
    status, body = http_json("GET", f"{asgi_server}/healthz")
    assert status == 503
    assert body["checks"]["database"]["ok"] and body["checks"]["redis"]["ok"]
    assert body["checks"]["workers"]["ok"] is False

    start_worker(role="mission")
    status, body = http_json("GET", f"{asgi_server}/healthz")
    assert status == 503, body
    assert "control role" in body["checks"]["workers"]["detail"]

    start_worker(role="control")
    status, body = http_json("GET", f"{asgi_server}/healthz")
    assert status == 200, body
    assert body["ok"] is True
    workers = body["checks"]["workers"]["detail"]
    assert [node.split("-")[1] for node in workers["mission"]] == ["mission"]
    assert [node.split("-")[1] for node in workers["control"]] == ["control"]
