"""A command intake cannot accept answers 400 with the offending field named, and stores nothing."""

import pytest

from missions.models import Mission, MissionEvent
from missions.tests.publishing import published_tasks

INVALID_COMMANDS = {
    "unknown type": ({"type": "warp_drive"}, "type"),
    "missing type": ({"params": {}}, "type"),
    "params a list": ({"type": "canary", "params": [1, 2]}, "params"),
    "params a string": ({"type": "canary", "params": "fail_times=1"}, "params"),
    "params null": ({"type": "canary", "params": None}, "params"),
    "negative fail_times": ({"type": "canary", "params": {"fail_times": -1}}, "params"),
    "too many fail_times": ({"type": "canary", "params": {"fail_times": 11}}, "params"),
    "sleep_ms too large": ({"type": "canary", "params": {"sleep_ms": 10 * 60 * 1000 + 1}}, "params"),
    "fail_times not a number": ({"type": "canary", "params": {"fail_times": "often"}}, "params"),
    "message not a string": ({"type": "canary", "params": {"message": {"nested": True}}}, "params"),
    "idempotency key too short": ({"type": "canary", "idempotency_key": "short"}, "idempotency_key"),
    "idempotency key with spaces": ({"type": "canary", "idempotency_key": "has spaces in it"}, "idempotency_key"),
    "idempotency key too long": ({"type": "canary", "idempotency_key": "k" * 129}, "idempotency_key"),
    "unknown priority": ({"type": "canary", "priority": "urgent"}, "priority"),
}


@pytest.mark.parametrize("body, field", INVALID_COMMANDS.values(), ids=INVALID_COMMANDS.keys())
def test_invalid_command_answers_400_naming_the_field(api_client, django_capture_on_commit_callbacks, body, field):
    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api_client.post("/api/rex/command", body, format="json")

    assert response.status_code == 400, response.data
    assert field in response.data, response.data
    assert Mission.objects.count() == 0
    assert MissionEvent.objects.count() == 0
    assert callbacks == [] and published == []


def test_canary_param_errors_name_the_param(api_client):
    response = api_client.post("/api/rex/command", {"type": "canary", "params": {"fail_times": -1, "sleep_ms": "x"}},
                               format="json")

    assert response.status_code == 400
    assert set(response.data["params"]) == {"fail_times", "sleep_ms"}


@pytest.mark.parametrize("raw", ['{"type": "canary", ', "not json at all", '{"type": "canary"}}'])
def test_body_that_is_not_json_answers_400(api_client, raw):
    response = api_client.post("/api/rex/command", data=raw, content_type="application/json")

    assert response.status_code == 400
    assert "JSON parse error" in str(response.data["detail"])
    assert Mission.objects.count() == 0
