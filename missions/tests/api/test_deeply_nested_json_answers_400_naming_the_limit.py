"""A JSON body nested deeper than REX_MAX_JSON_DEPTH is refused with 400 naming the limit, before the parser
recurses (thousands deep would be a RecursionError, a 500), on the command endpoint and the unauthenticated token
endpoint alike."""

import pytest
from rest_framework.test import APIClient

from missions.models import CommandDecision, Mission

DEEP_BODIES = {
    "arrays": b"[" * 5000 + b"]" * 5000,
    "objects": b'{"a":' * 5000 + b"1" + b"}" * 5000,
    "arrays inside a command": b'{"type": "canary", "params": {"x": ' + b"[" * 5000 + b"]" * 5000 + b"}}",
}


@pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
def test_deep_nesting_is_refused_by_the_command_endpoint(api_client, body):
    response = api_client.post("/api/rex/command", data=body, content_type="application/json")

    assert response.status_code == 400
    assert "32" in response.json()["detail"]
    assert not Mission.objects.exists()
    assert not CommandDecision.objects.exists()


@pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
def test_deep_nesting_is_refused_by_the_token_endpoint(db, body):
    response = APIClient().post("/api/auth/token/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert "32" in response.json()["detail"]


def test_the_limit_is_a_setting(api_client, settings):
    settings.REX_MAX_JSON_DEPTH = 2
    body = b'{"type": "canary", "params": {"message": "[[[ not counted ]]]"}}'

    assert api_client.post("/api/rex/command", data=body, content_type="application/json").status_code == 201

    deeper = b'{"type": "canary", "params": {"x": [1]}}'
    response = api_client.post("/api/rex/command", data=deeper, content_type="application/json")
    assert response.status_code == 400
    assert "2" in response.json()["detail"]
