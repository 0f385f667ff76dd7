"""A client's own idempotency key, given as the ``idempotency_key`` field or the ``Idempotency-Key`` header, is
the same mission forever: no window applies to it. A header and a field that disagree are refused."""

from missions.models import Mission
from missions.tests.intake.dedupe_window_helpers import created_seconds_ago

COMMAND = {"type": "canary", "params": {"message": "order"}}


def test_the_field_key_returns_the_first_mission_a_year_later(api_client):
    body = {**COMMAND, "idempotency_key": "crm-order-0001"}
    first = api_client.post("/api/rex/command", body, format="json")
    created_seconds_ago(first.data["id"], 365 * 24 * 3600)

    again = api_client.post("/api/rex/command", body, format="json")

    assert again.status_code == 200, again.data
    assert again.data["id"] == first.data["id"]


def test_the_header_key_is_the_same_key_as_the_field(api_client):
    by_header = api_client.post("/api/rex/command", COMMAND, format="json", HTTP_IDEMPOTENCY_KEY="crm-order-0002")
    assert by_header.status_code == 201, by_header.data
    assert by_header.data["idempotency_key"] == "crm-order-0002"
    created_seconds_ago(by_header.data["id"], 30 * 24 * 3600)

    by_field = api_client.post("/api/rex/command", {**COMMAND, "idempotency_key": "crm-order-0002"}, format="json")
    by_header_again = api_client.post("/api/rex/command", COMMAND, format="json", HTTP_IDEMPOTENCY_KEY="crm-order-0002")

    assert (by_field.status_code, by_header_again.status_code) == (200, 200)
    assert by_field.data["id"] == by_header_again.data["id"] == by_header.data["id"]
    assert Mission.objects.count() == 1


def test_a_header_and_a_field_that_disagree_are_refused(api_client):
    response = api_client.post("/api/rex/command", {**COMMAND, "idempotency_key": "crm-order-0003"}, format="json",
                               HTTP_IDEMPOTENCY_KEY="crm-order-0004")

    assert response.status_code == 400
    assert "idempotency_key" in response.json()
    assert not Mission.objects.exists()


def test_a_malformed_header_is_refused_on_the_field(api_client):
    response = api_client.post("/api/rex/command", COMMAND, format="json", HTTP_IDEMPOTENCY_KEY="short")

    assert response.status_code == 400
    assert "idempotency_key" in response.json()
    assert not Mission.objects.exists()
