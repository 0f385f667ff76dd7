"""An explicit idempotency key wins over the params: reusing it returns the original mission, unchanged."""

from missions.models import Mission


def test_explicit_key_reused_with_different_params_answers_200_with_the_original(api_client):
    first = api_client.post("/api/rex/command", {"type": "canary", "params": {"message": "first"},
                                                 "idempotency_key": "crm-sync:order-1234"}, format="json")
    second = api_client.post("/api/rex/command", {"type": "canary", "params": {"message": "second"},
                                                  "priority": "high", "idempotency_key": "crm-sync:order-1234"},
                             format="json")

    assert first.status_code == 201, first.data
    assert second.status_code == 200, second.data
    assert second.data["id"] == first.data["id"]
    assert second.data["params"]["message"] == "first"
    assert second.data["priority"] == "normal"
    mission = Mission.objects.get()
    assert mission.idempotency_key == "crm-sync:order-1234"
    assert mission.params["message"] == "first"
