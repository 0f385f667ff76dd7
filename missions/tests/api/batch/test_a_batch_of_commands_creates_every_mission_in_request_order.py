"""``POST /api/rex/commands`` creates one mission per structured command, in one transaction, and answers them in
request order (id, type, status, key, created), each recorded as an accepted decision of its own."""

import pytest

from missions.models import CommandDecision, Mission

pytestmark = pytest.mark.django_db


def test_three_canaries_become_three_queued_missions_in_request_order(api_client, user):
    response = api_client.post("/api/rex/commands", {"commands": [
        {"type": "canary", "params": {"tag": "a"}},
        {"type": "canary", "params": {"tag": "b"}, "priority": "high"},
        {"type": "canary", "params": {"tag": "c"}, "idempotency_key": "order-1042-c"},
    ]}, format="json")

    assert response.status_code == 201, response.content
    answered = response.json()["missions"]
    assert [(m["type"], m["status"], m["created"]) for m in answered] == [("canary", "queued", True)] * 3
    assert answered[2]["idempotency_key"] == "order-1042-c"
    stored = {str(m.id): m for m in Mission.objects.all()}
    assert [stored[m["id"]].params["tag"] for m in answered] == ["a", "b", "c"]
    assert [stored[m["id"]].priority for m in answered] == ["normal", "high", "normal"]
    assert all(list(m.events.values_list("kind", flat=True)) == ["queued"] for m in stored.values())
    assert all(m.requested_by == user for m in stored.values())


def test_each_command_of_the_batch_is_recorded_as_an_accepted_structured_decision(api_client):
    response = api_client.post("/api/rex/commands", {"commands": [
        {"type": "canary", "params": {"tag": "a"}}, {"type": "canary", "params": {"tag": "b"}}]}, format="json")

    records = CommandDecision.objects.order_by("id")
    assert [(r.layer, r.outcome, r.payload["params"]["tag"]) for r in records] == [
        ("structured", "accepted", "a"), ("structured", "accepted", "b")]
    assert [str(r.missions.get().id) for r in records] == [m["id"] for m in response.json()["missions"]]


def test_params_are_optional_and_the_agent_fills_its_defaults(api_client):
    response = api_client.post("/api/rex/commands", {"commands": [{"type": "canary"}]}, format="json")

    assert response.status_code == 201, response.content
    assert Mission.objects.get().params == {"fail_times": 0, "sleep_ms": 0}
