"""A booking through the link puts the event on the owner's real CalDAV calendar (Radicale) at the booked UTC
instant and mails an ICS METHOD:REQUEST to the prospect and to the owner, threaded into the conversation; a
reschedule sends REQUEST with SEQUENCE 1 and moves the event; a cancel sends METHOD:CANCEL with SEQUENCE 2 and
removes the event. The enrollment is meeting_booked."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings import delivery, services
from meetings.models import MeetingStatus
from meetings.tests.mail import invitations

pytestmark = pytest.mark.django_db


def test_a_booked_meeting_is_written_to_the_calendar_and_invited_by_email(meeting_world):
    world = meeting_world()
    enrollment = world.enrollment("pat@client.example", first_name="Pat")
    link = world.link(enrollment)
    free = services.open_slots(world.calendar)
    first, second = free[0], free[5]

    meeting = services.book(link, first.isoformat(), "America/New_York")
    enrollment.refresh_from_db()
    assert enrollment.state == "meeting_booked"
    assert meeting.status == MeetingStatus.BOOKED and meeting.sequence == 0

    smtp = world.world.smtp
    delivery.deliver(meeting.pk)
    [event] = world.radicale.events(world.calendar.url)
    assert event.decoded("DTSTART") == first and str(event["UID"]) == meeting.ics_uid
    assert int(event["SEQUENCE"]) == 0
    sent = invitations(smtp.messages)
    assert sorted(to for to, _, _ in sent) == ["owner@acme.example", "pat@client.example"]
    for _, ics, mail in sent:
        assert str(ics["METHOD"]) == "REQUEST"
        [vevent] = ics.walk("VEVENT")
        assert vevent.decoded("DTSTART") == first and int(vevent["SEQUENCE"]) == 0
        assert mail["Subject"] == "Re: Quick question"
    delivery.deliver(meeting.pk)  # a second run (a retried task) sends nothing more
    assert len(smtp.messages) == 2

    services.reschedule(meeting, second.isoformat())
    delivery.deliver(meeting.pk)
    [event] = world.radicale.events(world.calendar.url)
    assert event.decoded("DTSTART") == second and int(event["SEQUENCE"]) == 1
    moved = invitations(smtp.messages[2:])
    assert len(moved) == 2
    assert all(str(ics["METHOD"]) == "REQUEST" and int(ics.walk("VEVENT")[0]["SEQUENCE"]) == 1 for _, ics, _ in moved)

    services.cancel(meeting)
    delivery.deliver(meeting.pk)
    assert world.radicale.events(world.calendar.url) == []
    cancelled = invitations(smtp.messages[4:])
    assert len(cancelled) == 2
    for _, ics, _ in cancelled:
        [vevent] = ics.walk("VEVENT")
        assert str(ics["METHOD"]) == "CANCEL" and int(vevent["SEQUENCE"]) == 2
        assert str(vevent["UID"]) == meeting.ics_uid
    assert dt.timedelta(0) < second - first
