"""A structured request (type + params) is decided by layer 1, as it is; the decision is recorded and returned."""

from missions.models import CommandDecision, Mission


def test_structured_command_answers_201_with_a_layer_one_decision(api_client, organization, user):
    response = api_client.post("/api/rex/command", {"type": "canary", "params": {"fail_times": 1}, "priority": "high"},
                               format="json")

    assert response.status_code == 201, response.data
    body = response.data
    mission = Mission.objects.get()
    assert body["id"] == str(mission.id) and body["status"] == "queued" and body["priority"] == "high"
    assert body["decision"] == {"layer": "structured", "intent": "canary", "outcome": "accepted",
                                "summary": "canary(fail_times=1)"}
    assert [(m["id"], m["created"]) for m in body["missions"]] == [(str(mission.id), True)]

    decision = CommandDecision.objects.get()
    assert (decision.layer, decision.intent, decision.outcome) == ("structured", "canary", "accepted")
    assert decision.organization == organization and decision.requested_by == user
    assert decision.text == ""
    assert decision.payload == {"type": "canary", "params": {"fail_times": 1}, "priority": "high"}
    assert list(decision.missions.all()) == [mission]


def test_repeating_it_is_a_second_decision_for_the_same_mission(api_client):
    first = api_client.post("/api/rex/command", {"type": "canary", "params": {"tag": "again"}}, format="json")
    second = api_client.post("/api/rex/command", {"type": "canary", "params": {"tag": "again"}}, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.data["id"] == first.data["id"]
    assert second.data["missions"][0]["created"] is False
    assert second.data["decision"]["layer"] == "structured"
    assert CommandDecision.objects.filter(outcome="accepted", layer="structured").count() == 2
    assert Mission.objects.count() == 1


def test_a_refused_structured_command_is_recorded_as_a_rejected_layer_one_decision(api_client):
    response = api_client.post("/api/rex/command", {"type": "warp_drive"}, format="json")

    assert response.status_code == 400
    assert "unknown mission type 'warp_drive'" in str(response.data["type"])
    decision = CommandDecision.objects.get()
    assert (decision.layer, decision.outcome, decision.intent) == ("structured", "rejected", "warp_drive")
    assert "warp_drive" in str(decision.error["type"])
    assert Mission.objects.count() == 0


def test_type_and_command_together_are_refused_before_any_decision(api_client):
    response = api_client.post("/api/rex/command", {"type": "canary", "command": "run a canary"}, format="json")

    assert response.status_code == 400
    assert "not both" in str(response.data["command"])
    assert CommandDecision.objects.count() == 0 and Mission.objects.count() == 0


def test_params_and_idempotency_key_only_go_with_type(api_client):
    response = api_client.post("/api/rex/command", {"command": "run a canary", "params": {}, "idempotency_key": "k" * 10},
                               format="json")

    assert response.status_code == 400
    assert set(response.data) == {"params", "idempotency_key"}
    assert Mission.objects.count() == 0


def test_command_longer_than_500_characters_is_refused(api_client):
    response = api_client.post("/api/rex/command", {"command": "run a canary " + "x" * 500}, format="json")

    assert response.status_code == 400
    assert "500" in str(response.data["command"])
    assert Mission.objects.count() == 0
