"""The Google Calendar backend, against a local fake of the REST API (the HTTP boundary): the owner's busy time
comes from freeBusy and is left out of the slots; a booking is imported with our iCalUID and SEQUENCE, a
reschedule updates the same event (found again by iCalUID, so a retry never makes a second one), a cancel deletes
it; a wrong token is an error the delivery task retries, never a silent success."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings import delivery, services
from meetings.calendars import CalendarUnavailable, GoogleBackend
from meetings.models import CalendarAccount
from meetings.tests.fake_google import FakeGoogleCalendar

pytestmark = pytest.mark.django_db


def test_the_google_calendar_backend_reads_free_busy_and_writes_events(meeting_world, settings):
    world = meeting_world(zone="UTC")
    calendar = world.calendar
    calendar.backend, calendar.url = CalendarAccount.Backend.GOOGLE, "olivia@acme.example"
    calendar.set_secret("ya29.test-token")
    calendar.save()
    with FakeGoogleCalendar("ya29.test-token") as google:
        settings.REX_GOOGLE_CALENDAR_API_URL = google.base_url
        free = services.open_slots(calendar)
        taken = free[2]
        google.busy = [{"start": taken.isoformat(), "end": (taken + dt.timedelta(minutes=30)).isoformat()}]
        assert taken not in services.open_slots(calendar)
        assert free[0] in services.open_slots(calendar)

        enrollment = world.enrollment("pat@client.example")
        meeting = services.book(world.link(enrollment), free[0].isoformat(), "Europe/Madrid")
        delivery.deliver(meeting.pk)
        [event] = google.events.values()
        assert event["iCalUID"] == meeting.ics_uid and event["sequence"] == 0
        assert dt.datetime.fromisoformat(event["start"]["dateTime"]) == free[0]
        assert event["attendees"] == [{"email": "pat@client.example"}]

        later = services.open_slots(calendar)[-1]
        services.reschedule(meeting, later.isoformat())
        delivery.deliver(meeting.pk)
        [moved] = google.events.values()
        assert moved["id"] == event["id"] and moved["sequence"] == 1
        assert dt.datetime.fromisoformat(moved["start"]["dateTime"]) == later

        services.cancel(meeting)
        delivery.deliver(meeting.pk)
        assert google.events == {}

        calendar.set_secret("expired-token")
        calendar.save()
        with pytest.raises(CalendarUnavailable, match="401"):
            GoogleBackend(calendar).busy(free[0], free[-1])
