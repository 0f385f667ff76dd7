"""End to end through the API: "run a canary" in free text is read by the rules and queues a canary mission."""

from missions.models import CommandDecision, Mission
from missions.tests.publishing import published_mission_ids, published_tasks


def test_free_text_canary_answers_201_decided_by_the_rules(api_client, organization, user,
                                                         django_capture_on_commit_callbacks):
    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/rex/command", {"command": "Please run a canary!", "priority": "high"},
                                   format="json")

    assert response.status_code == 201, response.data
    body = response.data
    mission = Mission.objects.get()
    assert body["id"] == str(mission.id)
    assert (body["type"], body["status"], body["priority"], body["requested_by"]) == ("canary", "queued", "high",
                                                                                     user.username)
    assert body["decision"] == {"layer": "rules", "intent": "canary", "outcome": "accepted",
                                "summary": "Please run a canary! → canary()"}
    assert [(m["id"], m["created"]) for m in body["missions"]] == [(str(mission.id), True)]
    assert [(e["kind"], e["to_status"]) for e in body["events"]] == [("queued", "queued")]
    assert published_mission_ids(published) == [str(mission.id)]
    assert published[0].queue == "missions.high"

    decision = CommandDecision.objects.get()
    assert (decision.layer, decision.outcome, decision.text) == ("rules", "accepted", "Please run a canary!")
    assert list(decision.missions.all()) == [mission]
    assert mission.decisions.get() == decision


def test_the_same_words_again_return_the_same_mission(api_client):
    first = api_client.post("/api/rex/command", {"command": "run a canary"}, format="json")
    second = api_client.post("/api/rex/command", {"command": "canary"}, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.data["id"] == first.data["id"]
    assert second.data["decision"]["layer"] == "rules"
    assert Mission.objects.count() == 1
