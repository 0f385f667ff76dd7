"""The dashboard's meetings panel: today's meetings, the upcoming ones and the meetings booked per campaign, in the
page (for its first drawing) and from GET /api/meetings/upcoming (what the panel re-reads when the ``meetings``
stream says a meeting changed); a cancelled meeting leaves both lists and the count; another organization's
caller sees none of it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from meetings import services
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_todays_and_upcoming_meetings_and_bookings_per_campaign(
        meeting_world, api_client, user, other_organization_client, django_capture_on_commit_callbacks):
    world = meeting_world()
    now = timezone.now()
    today_end = timezone.localtime(now).replace(hour=23, minute=59)
    free = services.open_slots(world.calendar)
    today = [s for s in free if s <= today_end]
    later = [s for s in free if s > today_end + dt.timedelta(days=1)]
    booked = []
    with django_capture_on_commit_callbacks() as callbacks:
        for n, start in enumerate([*(today[:1]), later[0], later[4]]):
            enrollment = world.enrollment(f"p{n}@client.example", first_name=f"P{n}")
            booked.append(services.book(world.link(enrollment), start.isoformat(), "Europe/Paris"))
    # Each booking's frame waits in the transaction's outbox for the commit, on the meetings stream.
    [outbox] = callbacks
    frames = [f for group in outbox.__self__.frames.values() for f in group if f["type"] == "meeting.event"]
    assert sorted(f["meeting"]["id"] for f in frames) == sorted(m.pk for m in booked)

    panel = api_client.get("/api/meetings/upcoming").json()
    assert [m["id"] for m in panel["today"]] == [m.pk for m in booked[:len(today[:1])]]
    assert [m["id"] for m in panel["upcoming"]] == [m.pk for m in booked[len(today[:1]):]]
    assert panel["booked_per_campaign"] == {world.campaign.slug: len(booked)}

    services.cancel(booked[-1])
    panel = api_client.get("/api/meetings/upcoming").json()
    assert booked[-1].pk not in [m["id"] for m in panel["today"] + panel["upcoming"]]
    assert panel["booked_per_campaign"] == {world.campaign.slug: len(booked) - 1}
    assert Meeting.objects.get(pk=booked[-1].pk).sequence == 1

    browser = Client()
    browser.force_login(user)
    page = browser.get("/").content.decode()
    assert 'id="meetings-panel"' in page and "rex/meetings_panel.js" in page
    # p0 is booked whatever the hour (today if a slot is left, else the first later one) and never cancelled:
    # late in the day no slot is left today, and then p1 is the meeting cancelled above.
    assert 'id="initial-meetings"' in page and "p0@client.example" in page
    assert f"p{len(booked) - 1}@client.example" not in page

    other = other_organization_client.get("/api/meetings/upcoming").json()
    assert other == {"today": [], "upcoming": [], "booked_per_campaign": {}}
