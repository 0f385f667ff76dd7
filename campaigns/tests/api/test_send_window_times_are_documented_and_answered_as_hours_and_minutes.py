"""A campaign's send window is HH:MM in the answers and in the schema (a pattern: OpenAPI's "time" format would
demand seconds and a zone, which the answers do not have)."""

from __future__ import annotations

import re


def test_the_window_reads_back_as_hours_and_minutes_matching_the_documented_pattern(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    send_start = schema["components"]["schemas"]["Campaign"]["properties"]["send_start"]

    created = api_client.post("/api/campaigns/", {"name": "Spring", "send_start": "08:30:00", "send_end": "17:00"},
                              format="json")

    assert created.status_code == 201
    assert (created.json()["send_start"], created.json()["send_end"]) == ("08:30", "17:00")
    assert "format" not in send_start
    assert re.match(send_start["pattern"], "08:30") and re.match(send_start["pattern"], "08:30:00")
    assert not re.match(send_start["pattern"], "8.30am")


def test_a_time_outside_the_pattern_is_a_field_error(api_client):
    response = api_client.post("/api/campaigns/", {"name": "Spring", "send_start": "8.30am"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"send_start"}
