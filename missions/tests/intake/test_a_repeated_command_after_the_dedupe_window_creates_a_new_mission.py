"""Once the first mission of a command has finished and its dedupe window has closed, the same command is meant
again: a new mission (201) with the next key of that command, whose result is never the earlier one's; that new
mission then dedupes its own repeats for a window of its own."""

from missions.models import Mission
from missions.tests.intake.dedupe_window_helpers import created_seconds_ago

COMMAND = {"type": "canary", "params": {"message": "weekly"}}


def test_the_same_command_when_the_window_has_closed_creates_the_next_mission(api_client, settings):
    window = settings.REX_COMMAND_DEDUPE_WINDOW_SECONDS
    first = api_client.post("/api/rex/command", COMMAND, format="json")
    assert first.status_code == 201, first.data
    created_seconds_ago(first.data["id"], window)  # the window is [created, created + window): closed now

    second = api_client.post("/api/rex/command", COMMAND, format="json")

    assert second.status_code == 201, second.data
    assert second.data["id"] != first.data["id"]
    assert second.data["status"] == "queued"
    assert second.data["idempotency_key"] == first.data["idempotency_key"] + "/2"
    one, two = Mission.objects.get(pk=first.data["id"]), Mission.objects.get(pk=second.data["id"])
    assert one.command_key == two.command_key == first.data["idempotency_key"]
    assert one.result_key != two.result_key  # the second run is new work, not the first one's cached result

    repeat = api_client.post("/api/rex/command", COMMAND, format="json")
    assert repeat.status_code == 200, repeat.data
    assert repeat.data["id"] == second.data["id"]

    created_seconds_ago(second.data["id"], window + 60)
    third = api_client.post("/api/rex/command", COMMAND, format="json")
    assert third.status_code == 201, third.data
    assert third.data["idempotency_key"] == first.data["idempotency_key"] + "/3"
    assert Mission.objects.count() == 3


def test_other_params_were_never_the_same_command(api_client):
    first = api_client.post("/api/rex/command", COMMAND, format="json")
    other = api_client.post("/api/rex/command", {"type": "canary", "params": {"message": "daily"}}, format="json")

    assert (first.status_code, other.status_code) == (201, 201)
    assert other.data["id"] != first.data["id"]
