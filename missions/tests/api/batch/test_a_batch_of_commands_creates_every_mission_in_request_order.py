"""``POST /api/rex/commands`` creates one mission per structured command, in one transaction, and answers them in
request order (id, type, status, key, created). The batch is one decision: recorded once, structured, linked to
all its missions (as a free-text command that plans several missions is)."""

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


def test_the_batch_is_recorded_as_one_accepted_structured_decision_with_all_its_missions(api_client):
    response = api_client.post("/api/rex/commands", {"commands": [
        {"type": "canary", "params": {"tag": "a"}}, {"type": "canary", "params": {"tag": "b"}}]}, format="json")

    record = CommandDecision.objects.get()
    assert (record.layer, record.intent, record.outcome) == ("structured", "canary", "accepted")
    assert [item["params"]["tag"] for item in record.payload["commands"]] == ["a", "b"]
    assert record.summary.startswith("batch of 2: canary(tag='a')")
    assert {str(pk) for pk in record.missions.values_list("id", flat=True)} == {
        m["id"] for m in response.json()["missions"]}


def test_params_are_optional_and_the_agent_fills_its_defaults(api_client):
    response = api_client.post("/api/rex/commands", {"commands": [{"type": "canary"}]}, format="json")

    assert response.status_code == 201, response.content
    assert Mission.objects.get().params == {"fail_times": 0, "sleep_ms": 0}
