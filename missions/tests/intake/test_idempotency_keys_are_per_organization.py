"""Idempotency keys are scoped to the organization: the same command in another organization is a new mission."""

from missions.models import Mission


def test_same_command_in_another_organization_creates_its_own_mission(api_client, other_organization_client):
    body = {"type": "canary", "params": {"message": "same"}}
    ours = api_client.post("/api/rex/command", body, format="json")
    theirs = other_organization_client.post("/api/rex/command", body, format="json")

    assert ours.status_code == 201, ours.data
    assert theirs.status_code == 201, theirs.data
    assert theirs.data["id"] != ours.data["id"]
    assert theirs.data["organization"] == "globex"
    assert ours.data["organization"] == "acme"
    assert Mission.objects.count() == 2


def test_same_explicit_key_in_another_organization_creates_its_own_mission(api_client, other_organization_client):
    body = {"type": "canary", "params": {"message": "x"}, "idempotency_key": "shared-key-001"}
    ours = api_client.post("/api/rex/command", body, format="json")
    theirs = other_organization_client.post("/api/rex/command", body, format="json")

    assert (ours.status_code, theirs.status_code) == (201, 201)
    assert theirs.data["id"] != ours.data["id"]
