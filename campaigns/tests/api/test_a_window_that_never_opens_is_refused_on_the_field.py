"""A campaign's send window must open some time: no weekday, or hours that close before they open, are refused on
the field at fault; so are an unknown time zone and pacing gaps the wrong way round. Days may be written as words."""

import pytest

from campaigns.models import Campaign


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"send_days": []}, "send_days",
     "name at least one weekday (0 = Monday … 6 = Sunday); with none the window never opens"),
    ({"send_start": "17:00", "send_end": "09:00"}, "send_end",
     "the window closes (09:00) before it opens (17:00) so it never opens; windows run within one day"),
    ({"send_days": [0, 7]}, "send_days", 'weekdays as numbers 0 (Monday) to 6 (Sunday), or words like "mon-fri"'),
    ({"timezone": "Mars/Olympus"}, "timezone",
     "unknown time zone 'Mars/Olympus'; use an IANA name such as Europe/Paris"),
    ({"min_gap_seconds": 600, "max_gap_seconds": 60}, "max_gap_seconds",
     "the longest gap between two sends must not be shorter than the shortest"),
], ids=["no-day", "closes-before-opening", "day-out-of-range", "unknown-zone", "gaps-reversed"])
def test_bad_window_is_refused_on_its_field(api_client, change, field, message):
    response = api_client.post("/api/campaigns/", {"name": "Spring", **change}, format="json")

    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert not Campaign.objects.exists()


def test_patch_to_a_window_that_never_opens_is_refused(api_client, campaign):
    response = api_client.patch("/api/campaigns/spring/", {"send_end": "08:00"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"send_end"}
    campaign.refresh_from_db()
    assert campaign.send_end.hour == 17


def test_days_written_as_words_are_read_and_given_back_as_numbers(api_client, make_sequence, contact_list):
    make_sequence("Intro")
    response = api_client.post("/api/campaigns/", {
        "name": "Spring", "send_days": "mon,wed,fri", "send_start": "08:30", "send_end": "16:00",
        "timezone": "Europe/Paris", "sequence": "intro", "list": "leads", "from_name": "Jane Doe"}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["send_days"], body["send_days_text"]) == ([0, 2, 4], "mon,wed,fri")
    assert (body["send_start"], body["send_end"], body["timezone"]) == ("08:30", "16:00", "Europe/Paris")
    assert (body["sequence"], body["list"], body["status"]) == ("intro", "leads", "draft")
    assert body["figures"]["enrolled"] == 0


def test_unreadable_days_and_unknown_sequence_are_field_errors(api_client):
    response = api_client.post("/api/campaigns/", {"name": "Spring", "send_days": "funday", "sequence": "nope"},
                               format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"send_days", "sequence"}
    assert response.json()["sequence"] == ["no sequence 'nope' in your organization"]
