"""A command without an idempotency key, repeated while the dedupe window of its first mission is open, is that
mission (200), even when it has finished already: a double click, a retried request, a second colleague."""

from missions.models import Mission
from missions.tests.intake.dedupe_window_helpers import created_seconds_ago

COMMAND = {"type": "canary", "params": {"message": "hello"}}


def test_the_same_command_a_second_before_the_window_closes_is_the_same_finished_mission(api_client, settings):
    first = api_client.post("/api/rex/command", COMMAND, format="json")
    assert first.status_code == 201, first.data
    created_seconds_ago(first.data["id"], settings.REX_COMMAND_DEDUPE_WINDOW_SECONDS - 1)

    again = api_client.post("/api/rex/command", COMMAND, format="json")

    assert again.status_code == 200, again.data
    assert again.data["id"] == first.data["id"]
    assert again.data["status"] == "succeeded"
    assert Mission.objects.count() == 1


def test_the_window_is_a_setting(api_client, settings):
    settings.REX_COMMAND_DEDUPE_WINDOW_SECONDS = 3600
    first = api_client.post("/api/rex/command", COMMAND, format="json")
    created_seconds_ago(first.data["id"], 3599)

    again = api_client.post("/api/rex/command", COMMAND, format="json")

    assert again.status_code == 200, again.data
    assert again.data["id"] == first.data["id"]
