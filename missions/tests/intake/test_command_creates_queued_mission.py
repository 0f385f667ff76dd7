"""A valid command creates one queued mission, answers 201 with it, and sends it to its priority's queue."""

from missions.models import Mission
from missions.tests.publishing import published_mission_ids, published_tasks


def test_canary_command_answers_201_with_a_queued_mission(api_client, organization, user):
    response = api_client.post("/api/rex/command", {"type": "canary", "params": {"message": "hi"}}, format="json")

    assert response.status_code == 201, response.data
    body = response.data
    assert body["status"] == "queued"
    assert body["type"] == "canary"
    assert body["organization"] == organization.slug
    assert body["requested_by"] == user.username
    assert body["params"]["message"] == "hi"
    assert [(e["seq"], e["kind"], e["to_status"]) for e in body["events"]] == [(1, "queued", "queued")]
    mission = Mission.objects.get()
    assert str(mission.id) == body["id"]
    assert mission.attempts == 0


def test_mission_is_sent_to_its_priority_queue_after_commit(api_client, django_capture_on_commit_callbacks):
    with published_tasks() as published:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = api_client.post("/api/rex/command", {"type": "canary", "priority": "high"}, format="json")
        assert response.status_code == 201, response.data
        assert published == [], "nothing may be sent before the transaction commits"
        for callback in callbacks:
            callback()

    assert published_mission_ids(published) == [response.data["id"]]
    assert published[0].queue == "missions.high"
