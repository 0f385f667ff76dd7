"""GET /healthz is 200 only when the database, Redis and at least one worker answer."""

import pytest

from missions.tests.e2e_helpers import http_json

pytestmark = pytest.mark.e2e


def test_healthz_is_503_without_a_worker_and_200_with_one(asgi_server, start_worker):
    status, body = http_json("GET", f"{asgi_server}/healthz")
    assert status == 503
    assert body["checks"]["database"]["ok"] and body["checks"]["redis"]["ok"]
    assert body["checks"]["workers"]["ok"] is False

    start_worker()
    status, body = http_json("GET", f"{asgi_server}/healthz")
    assert status == 200, body
    assert body["ok"] is True
    assert body["checks"]["workers"]["detail"]
