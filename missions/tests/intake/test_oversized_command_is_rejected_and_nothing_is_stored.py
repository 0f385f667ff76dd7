"""A command body larger than settings.REX_MAX_COMMAND_BYTES is refused before it is parsed; nothing is stored."""

import json

from django.conf import settings

from missions.models import Mission


def test_body_declared_larger_than_the_limit_answers_400(api_client):
    limit = settings.REX_MAX_COMMAND_BYTES
    # Valid JSON padded with whitespace: only its size is wrong. The test client sends a truthful Content-Length.
    raw = '{"type": "canary"}' + " " * limit

    response = api_client.post("/api/rex/command", data=raw, content_type="application/json")

    assert response.status_code == 400
    assert f"the limit is {limit}" in str(response.data["detail"])
    assert Mission.objects.count() == 0


def test_large_params_value_answers_400(api_client):
    limit = settings.REX_MAX_COMMAND_BYTES
    body = {"type": "canary", "params": {"message": "x" * limit}}
    assert len(json.dumps(body)) > limit

    response = api_client.post("/api/rex/command", body, format="json")

    assert response.status_code == 400
    assert "limit" in str(response.data["detail"])
    assert Mission.objects.count() == 0


def test_body_just_under_the_limit_is_accepted(api_client):
    limit = settings.REX_MAX_COMMAND_BYTES
    raw = '{"type": "canary", "params": {"message": "ok"}}'
    raw += " " * (limit - len(raw))

    response = api_client.post("/api/rex/command", data=raw, content_type="application/json")

    assert response.status_code == 201, response.data
    assert Mission.objects.count() == 1
