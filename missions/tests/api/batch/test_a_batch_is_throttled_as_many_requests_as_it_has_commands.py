"""A batch charges the caller's "user" rate (REX_API_THROTTLE_USER) once per command it carries, in the same count
as the single command endpoint, so batching is no way around the rate; a batch that does not fit in what is left
answers 429 and creates nothing."""

import pytest
from rest_framework.throttling import UserRateThrottle

from missions.models import Mission

pytestmark = pytest.mark.django_db


@pytest.fixture
def ten_per_minute(monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {**UserRateThrottle.THROTTLE_RATES, "user": "10/min"})


def canaries(count: int, prefix: str) -> dict:
    return {"commands": [{"type": "canary", "params": {"tag": f"{prefix}-{i}"}} for i in range(count)]}


def test_four_single_commands_and_a_batch_of_six_use_up_a_rate_of_ten(api_client, ten_per_minute):
    for i in range(4):
        assert api_client.post("/api/rex/command", {"type": "canary", "params": {"tag": f"s{i}"}},
                               format="json").status_code == 201

    assert api_client.post("/api/rex/commands", canaries(6, "b"), format="json").status_code == 201
    throttled = api_client.post("/api/rex/command", {"type": "canary", "params": {"tag": "late"}}, format="json")

    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0


def test_a_batch_larger_than_what_is_left_is_refused_whole(api_client, ten_per_minute):
    assert api_client.post("/api/rex/commands", canaries(4, "a"), format="json").status_code == 201

    refused = api_client.post("/api/rex/commands", canaries(7, "b"), format="json")

    assert refused.status_code == 429
    assert Mission.objects.count() == 4
    assert api_client.post("/api/rex/commands", canaries(6, "c"), format="json").status_code == 201
