"""``POST /api/rex/command`` answers a mission it created from what it just wrote (its one event, no LLM usage yet)
rather than reading them back: the answer is exactly what ``GET /api/missions/<id>/`` gives for it then. A
duplicate is read back as stored, with its whole timeline."""

import pytest

from missions.models import Mission

pytestmark = pytest.mark.django_db


def detail_part(body: dict) -> dict:
    return {key: value for key, value in body.items() if key not in ("decision", "missions")}


@pytest.mark.parametrize("command", [{"type": "canary", "params": {"tag": "fresh"}},
                                     {"type": "canary", "idempotency_key": "order-1042-q", "priority": "high"}])
def test_the_post_answer_of_a_new_mission_equals_reading_it_back(api_client, command):
    posted = api_client.post("/api/rex/command", command, format="json")

    assert posted.status_code == 201
    assert detail_part(posted.json()) == api_client.get(f"/api/missions/{posted.json()['id']}/").json()


def test_a_duplicate_is_answered_with_its_stored_timeline(api_client):
    first = api_client.post("/api/rex/command", {"type": "canary", "idempotency_key": "order-1042-r"}, format="json")
    Mission.objects.get(pk=first.json()["id"]).cancel()

    again = api_client.post("/api/rex/command", {"type": "canary", "idempotency_key": "order-1042-r"}, format="json")

    assert again.status_code == 200
    assert [event["kind"] for event in again.json()["events"]] == ["queued", "cancelled"]
    assert detail_part(again.json()) == api_client.get(f"/api/missions/{first.json()['id']}/").json()
