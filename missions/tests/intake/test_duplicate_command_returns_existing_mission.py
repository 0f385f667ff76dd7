"""The same command twice is the same mission: the derived idempotency key is SHA-256 of org + type + canonical
params, so the key order of params does not matter."""

import hashlib
import json

from missions.models import Mission, MissionEvent


def test_same_body_again_answers_200_with_the_same_mission(api_client):
    body = {"type": "canary", "params": {"message": "hello", "fail_times": 1}}
    first = api_client.post("/api/rex/command", body, format="json")
    second = api_client.post("/api/rex/command", body, format="json")

    assert first.status_code == 201, first.data
    assert second.status_code == 200, second.data
    assert second.data["id"] == first.data["id"]
    assert Mission.objects.count() == 1
    assert MissionEvent.objects.count() == 1  # the duplicate left no trace on the timeline


def test_key_order_of_params_does_not_matter(api_client):
    first = api_client.post("/api/rex/command", data='{"type": "canary", "params": {"message": "m", "tag": "t"}}',
                            content_type="application/json")
    second = api_client.post("/api/rex/command", data='{"params": {"tag": "t", "message": "m"}, "type": "canary"}',
                             content_type="application/json")

    assert first.status_code == 201, first.data
    assert second.status_code == 200, second.data
    assert second.data["id"] == first.data["id"]


def test_derived_key_is_sha256_of_organization_type_and_canonical_params(api_client, organization):
    response = api_client.post("/api/rex/command", {"type": "canary", "params": {"tag": "t", "message": "m"}},
                               format="json")

    mission = Mission.objects.get(pk=response.data["id"])
    canonical = json.dumps(mission.params, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = hashlib.sha256(f"{organization.pk}\ncanary\n{canonical}".encode()).hexdigest()
    assert response.data["idempotency_key"] == expected
