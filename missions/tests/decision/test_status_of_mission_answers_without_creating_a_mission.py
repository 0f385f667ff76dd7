""""status of mission …" is answered from the caller's own missions, without creating a mission."""

import uuid

import pytest

from missions.models import CommandDecision, Mission, MissionStatus
from missions.tests.factories import drive_to, submit_canary


def ask(client, text: str):
    return client.post("/api/rex/command", {"command": text}, format="json")


@pytest.mark.parametrize("reference", [
    lambda m: str(m.id)[:8],
    lambda m: str(m.id),
    lambda m: str(m.id).replace("-", "")[:12],  # a prefix past the first hyphen, written without it
    lambda m: str(m.id)[:13].upper(),
], ids=["first-8", "full-uuid", "12-hex-without-hyphen", "13-chars-upper-case"])
def test_status_query_answers_200_with_the_mission(api_client, organization, reference):
    mission = drive_to(submit_canary(organization, message="status me"), MissionStatus.FAILED)

    response = ask(api_client, f"what's the status of mission {reference(mission)}?")

    assert response.status_code == 200, response.data
    assert response.data["decision"] == {
        "layer": "rules", "intent": "mission_status", "outcome": "answered",
        "summary": f"what's the status of mission {reference(mission)}? → status of mission {mission.id}",
    }
    answer = response.data["answer"]
    assert answer["mission"]["id"] == str(mission.id)
    assert answer["mission"]["status"] == "failed"
    assert answer["mission"]["params"]["message"] == "status me"
    assert answer["text"] == f"canary {str(mission.id)[:8]} is failed (attempt 1 of 4): boom"
    assert Mission.objects.count() == 1, "a query creates no mission"
    decision = CommandDecision.objects.get()
    assert (decision.layer, decision.intent, decision.outcome) == ("rules", "mission_status", "answered")


def test_another_organizations_mission_is_not_found(api_client, other_organization_client, organization):
    mission = submit_canary(organization)

    response = ask(other_organization_client, f"status of mission {str(mission.id)[:8]}")

    assert response.status_code == 400
    assert response.data["command"] == [
        f"none of your organization's missions has an id starting with '{str(mission.id)[:8]}'"]
    assert "canary" not in str(response.data)


def test_an_ambiguous_prefix_asks_for_more_characters(api_client, organization):
    for tail in ("1111-4111-8111-111111111111", "2222-4222-8222-222222222222"):
        Mission.objects.create(id=uuid.UUID("abcdef12-" + tail), organization=organization, type="canary",
                               idempotency_key=f"ambiguous-{tail}")

    ambiguous = ask(api_client, "status of mission abcdef")
    precise = ask(api_client, "status of mission abcdef12-2222")

    assert ambiguous.status_code == 400
    assert ambiguous.data["command"] == ["'abcdef' matches more than one of your missions; give more characters of the id"]
    assert precise.status_code == 200
    assert precise.data["answer"]["mission"]["id"] == "abcdef12-2222-4222-8222-222222222222"


@pytest.mark.parametrize("reference", ["abc12", "not-a-mission", "zzzzzzzz"])
def test_something_that_is_not_a_mission_id_is_refused_readably(api_client, reference):
    response = ask(api_client, f"status of mission {reference}")

    assert response.status_code == 400
    assert response.data["command"] == [
        f"'{reference}' is not a mission id: give the mission's id or at least its first 6 characters"]
    assert CommandDecision.objects.get().outcome == "rejected"
