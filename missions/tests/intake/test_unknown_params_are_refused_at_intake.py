"""A param the agent does not take is refused at intake on that field (400), not dropped: a misspelt ``limt``
dropped silently would send to the whole list. Nothing is stored but the refused decision."""

from missions.models import CommandDecision, Mission


def test_an_unknown_param_is_a_field_error_naming_what_the_agent_takes(api_client):
    response = api_client.post("/api/rex/command", {"type": "canary", "params": {"message": "hi", "mesage": "hi"}},
                               format="json")

    assert response.status_code == 400
    [message] = response.json()["params"]["mesage"]
    assert message.startswith("Unknown field: this agent takes ")
    assert "message" in message
    assert not Mission.objects.exists()
    assert CommandDecision.objects.get().outcome == "rejected"


def test_known_params_alone_are_accepted(api_client):
    response = api_client.post("/api/rex/command", {"type": "canary", "params": {"message": "hi"}}, format="json")

    assert response.status_code == 201, response.data
    assert response.data["params"]["message"] == "hi"
