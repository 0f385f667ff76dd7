"""The public booking page answers bad input with the reason and writes nothing: an unknown time zone (400), a
start that is no instant (400), a slot taken by the owner's own calendar meanwhile (409), a tampered token (400),
an expired link (410); a second booking through a used link (409)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from meetings import services
from meetings.models import BookingLink, Meeting

pytestmark = pytest.mark.django_db


def post(client: Client, token: str, body: object) -> tuple[int, dict]:
    response = client.post(f"/book/{token}/", data=json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_booking_refuses_bad_zones_taken_slots_and_dead_links_writing_nothing(meeting_world):
    world = meeting_world()
    enrollment = world.enrollment("pat@client.example")
    token = world.token(enrollment)
    client = Client()
    free = services.open_slots(world.calendar)
    slot = free[0].isoformat()

    assert post(client, token, {"start": slot, "timezone": "Mars/Olympus_Mons"}) == (
        400, {"detail": "'Mars/Olympus_Mons' is not a known time zone (an IANA name, e.g. Europe/Paris)",
              "field": "timezone"})
    status, body = post(client, token, {"start": "next tuesday", "timezone": "Europe/Paris"})
    assert status == 400 and body["field"] == "start"
    status, body = post(client, token, {"start": "2026-12-08T15:00:00", "timezone": "Europe/Paris"})
    assert status == 400 and "offset" in body["detail"]
    assert client.get(f"/book/{token}/slots?timezone=Nowhere/Land").status_code == 400

    # The owner's own appointment lands on the slot after the page was drawn: the calendar is asked again.
    world.radicale.add_busy(world.calendar.url, free[0], free[0] + dt.timedelta(minutes=30))
    status, body = post(client, token, {"start": slot, "timezone": "Europe/Paris"})
    assert (status, body["field"]) == (409, "start") and "no longer free" in body["detail"]

    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    status, body = post(client, tampered, {"start": free[3].isoformat(), "timezone": "Europe/Paris"})
    assert (status, body["field"]) == (400, "token")
    assert client.get(f"/book/{tampered}/").status_code == 400

    BookingLink.objects.filter(enrollment=enrollment).update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    status, body = post(client, token, {"start": free[3].isoformat(), "timezone": "Europe/Paris"})
    assert status == 410 and "expired" in body["detail"]
    assert client.get(f"/book/{token}/").status_code == 410

    assert not Meeting.objects.exists()
    enrollment.refresh_from_db()
    assert enrollment.state == "active"

    BookingLink.objects.filter(enrollment=enrollment).update(expires_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    status, body = post(client, token, {"start": free[3].isoformat(), "timezone": "Europe/Paris"})
    assert status == 201 and body["meeting"]["status"] == "booked"
    status, body = post(client, token, {"start": free[6].isoformat(), "timezone": "Europe/Paris"})
    assert status == 409 and "already booked" in body["detail"]
    assert Meeting.objects.count() == 1
