"""ICS for a meeting (RFC 5545 / iTIP RFC 5546), built with ``icalendar``.

One VEVENT per meeting, keyed by its ``ics_uid``; every change the attendees must apply carries the meeting's
current SEQUENCE. ``invitation(meeting, method)`` is what is mailed (METHOD:REQUEST for a booking or a reschedule,
METHOD:CANCEL for a cancellation); ``calendar_object(meeting)`` is what is stored on the owner's calendar, which
by CalDAV's rules carries no METHOD. Built only from the meeting's stored fields (DTSTAMP is its ``updated_at``),
so a retried send produces the same bytes.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event, vCalAddress, vText

from meetings.models import Meeting, MeetingStatus

PRODID = "-//REX//Meetings//EN"
REQUEST, CANCEL = "REQUEST", "CANCEL"


def _name(first: str, last: str) -> str:
    return " ".join(part for part in (first, last) if part)


def summary(meeting: Meeting) -> str:
    company = meeting.contact.company
    who = _name(meeting.contact.first_name, meeting.contact.last_name) or meeting.contact.email
    owner = meeting.calendar.owner.get_full_name() or meeting.calendar.owner_email
    return f"{who}{f' ({company})' if company else ''} and {owner}"


def _event(meeting: Meeting, *, cancelled: bool) -> Event:
    event = Event()
    event.add("uid", meeting.ics_uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at.astimezone(dt.UTC))
    event.add("dtstart", meeting.start.astimezone(dt.UTC))
    event.add("dtend", meeting.end.astimezone(dt.UTC))
    event.add("summary", summary(meeting))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{meeting.calendar.owner_email}")
    organizer.params["CN"] = vText(meeting.calendar.owner.get_full_name() or meeting.calendar.owner_email)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{meeting.contact.email}")
    attendee.params["CN"] = vText(_name(meeting.contact.first_name, meeting.contact.last_name)
                                  or meeting.contact.email)
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
    attendee.params["RSVP"] = vText("TRUE")
    event.add("attendee", attendee)
    return event


def invitation(meeting: Meeting, method: str) -> bytes:
    """The iTIP message for the meeting as it is now: REQUEST (booked or moved) or CANCEL."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(_event(meeting, cancelled=method == CANCEL))
    return calendar.to_ical()


def calendar_object(meeting: Meeting) -> bytes:
    """The event as stored on the owner's calendar (no METHOD)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add_component(_event(meeting, cancelled=meeting.status == MeetingStatus.CANCELLED))
    return calendar.to_ical()
