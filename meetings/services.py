"""What people and agents do with meetings: hand out the booking link, book a slot, move it, cancel it.

Every change is one transaction that checks and moves the ``Meeting`` (and, on a booking, the enrollment to
``meeting_booked``), then, after commit only, queues ``meetings.deliver`` (the calendar write and the ICS emails,
``meetings.delivery``) and publishes the ``meetings`` live frame. A refusal raises ``MeetingRefused`` with the
HTTP status it stands for (400 bad input, 409 the slot or the meeting moved on, 410 a dead link) and writes
nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from campaigns.models import Enrollment
from inboxes.models import validate_timezone
from live.publish import after_commit, publish
from meetings.availability import available
from meetings.calendars import CalendarUnavailable
from meetings.models import HOLDING, BookingLink, CalendarAccount, CampaignMeetings, Meeting, MeetingStatus
from rex_project.celery import MISSION_QUEUES
from rex_project.celery import app as celery_app
from tenants.models import Organization

STREAM = "meetings"
STREAM_DESCRIPTION = "Meetings booked, moved and cancelled: {type: meeting.event, meeting: row}"
DELIVER_TASK = "meetings.deliver"
DELIVER_QUEUE = MISSION_QUEUES["normal"]
# How far ahead the booking page offers slots.
BOOKING_HORIZON = dt.timedelta(days=14)


class MeetingRefused(Exception):
    def __init__(self, status: int, field: str, reason: str) -> None:
        super().__init__(reason)
        self.status, self.field, self.reason = status, field, reason

    def as_dict(self) -> dict[str, Any]:
        return {"detail": self.reason, "field": self.field}


def zone_named(name: object) -> ZoneInfo:
    """The IANA zone ``name``; 400 for anything else (an unknown zone never falls back to UTC silently)."""
    if not isinstance(name, str) or not name.strip():
        raise MeetingRefused(400, "timezone", "say which time zone the times are in (an IANA name, e.g. "
                                              "Europe/Paris)")
    try:
        validate_timezone(name.strip())
    except ValidationError:
        raise MeetingRefused(400, "timezone", f"{name[:64]!r} is not a known time zone (an IANA name, e.g. "
                                              "Europe/Paris)") from None
    return ZoneInfo(name.strip())


def instant(value: object, field: str = "start") -> dt.datetime:
    """An ISO 8601 instant with its offset (``2026-12-08T15:00:00Z``); 400 otherwise."""
    if not isinstance(value, str):
        raise MeetingRefused(400, field, "give the slot's start as an ISO 8601 instant, e.g. 2026-12-08T15:00:00Z")
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise MeetingRefused(400, field, f"{value[:40]!r} is not an ISO 8601 instant, e.g. "
                                         "2026-12-08T15:00:00Z") from None
    if parsed.tzinfo is None:
        raise MeetingRefused(400, field, "the instant needs its offset (Z or +01:00): without it the time is "
                                         "ambiguous")
    return parsed.astimezone(dt.UTC)


# --- the booking link ----------------------------------------------------------------------------------------------

def settings_for(enrollment: Enrollment) -> CampaignMeetings | None:
    return CampaignMeetings.objects.select_related("calendar").filter(campaign_id=enrollment.campaign_id).first()


def link_for(enrollment: Enrollment, *, now: dt.datetime | None = None) -> BookingLink:
    """The enrollment's booking link (made once; an expired one is given a new expiry: the same token lives on)."""
    now = now or timezone.now()
    meeting_settings = settings_for(enrollment)
    if meeting_settings is None:
        raise MeetingRefused(409, "campaign", f"campaign {enrollment.campaign.slug} books into no calendar; set "
                                              "its calendar (CampaignMeetings) first")
    expires = now + dt.timedelta(days=meeting_settings.link_valid_days)
    link, created = BookingLink.objects.get_or_create(
        enrollment=enrollment, defaults={"calendar": meeting_settings.calendar, "expires_at": expires})
    if not created and link.expires_at < expires - dt.timedelta(days=1):
        BookingLink.objects.filter(pk=link.pk).update(expires_at=expires)
        link.expires_at = expires
    return link


def open_slots(calendar: CalendarAccount, *, now: dt.datetime | None = None,
               start: dt.datetime | None = None, end: dt.datetime | None = None,
               exclude: Meeting | None = None) -> list[dt.datetime]:
    now = now or timezone.now()
    start = start or now
    end = end or now + BOOKING_HORIZON
    try:
        return available(calendar, start, end, now=now, exclude=exclude)
    except CalendarUnavailable as exc:
        raise MeetingRefused(503, "calendar", f"the calendar cannot be read right now; try again in a minute "
                                              f"({exc})") from exc


def current_meeting(enrollment: Enrollment) -> Meeting | None:
    return Meeting.objects.filter(enrollment=enrollment, status__in=HOLDING).order_by("-start").first()


# --- booking, moving, cancelling -------------------------------------------------------------------------------------

def _check_slot(calendar: CalendarAccount, start: dt.datetime, now: dt.datetime, exclude: Meeting | None) -> None:
    """Refuse (409) a start that is not one of the owner's free slots now (the calendar is asked again)."""
    length = dt.timedelta(minutes=calendar.meeting_minutes)
    free = open_slots(calendar, now=now, start=start - length, end=start + 2 * length, exclude=exclude)
    if start not in free:
        raise MeetingRefused(409, "start", "this time is no longer free; pick another slot")


def _lock_and_recheck(calendar: CalendarAccount, start: dt.datetime, end: dt.datetime,
                      exclude: Meeting | None) -> None:
    """Inside the transaction: take the calendar's row lock (one booking per owner at a time) and refuse a slot a
    concurrent booking took between the calendar check and now."""
    CalendarAccount.objects.select_for_update().filter(pk=calendar.pk).first()
    buffer = dt.timedelta(minutes=calendar.buffer_minutes)
    clash = Meeting.objects.filter(calendar=calendar, status__in=HOLDING, start__lt=end + buffer,
                                   end__gt=start - buffer)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise MeetingRefused(409, "start", "someone booked this time a moment ago; pick another slot")


def book(link: BookingLink, start_value: object, zone_value: object, *, now: dt.datetime | None = None) -> Meeting:
    """Book ``start`` for the link's contact; the enrollment moves to ``meeting_booked`` in the same commit."""
    now = now or timezone.now()
    zone = zone_named(zone_value)
    start = instant(start_value)
    enrollment = link.enrollment
    calendar = link.calendar
    if current_meeting(enrollment) is not None:
        raise MeetingRefused(409, "start", "a meeting is already booked with this link; use the invitation to "
                                           "move or cancel it")
    end = start + dt.timedelta(minutes=calendar.meeting_minutes)
    _check_slot(calendar, start, now, None)
    try:
        with transaction.atomic():
            _lock_and_recheck(calendar, start, end, None)
            if Meeting.objects.filter(enrollment=enrollment, status__in=HOLDING).exists():
                raise MeetingRefused(409, "start", "a meeting is already booked with this link")
            meeting = Meeting.objects.create(
                organization_id=enrollment.organization_id, calendar=calendar, owner_id=calendar.owner_id,
                enrollment=enrollment, contact_id=enrollment.contact_id, campaign_id=enrollment.campaign_id,
                start=start, end=end, timezone=str(zone.key), status=MeetingStatus.BOOKED, created_at=now,
                updated_at=now)
            enrollment.refresh_from_db(fields=["state", "step_index"])
            enrollment.mark_meeting_booked(f"meeting booked for {start:%Y-%m-%d %H:%M} UTC", actor="booking page")
            _after_change(meeting)
    except IntegrityError:
        # The unique slot constraint: a concurrent booking of the same start committed first.
        raise MeetingRefused(409, "start", "someone booked this time a moment ago; pick another slot") from None
    return meeting


def reschedule(meeting: Meeting, start_value: object, *, zone_value: object = None,
               now: dt.datetime | None = None) -> Meeting:
    """Move the meeting to another free slot: SEQUENCE + 1, a new METHOD:REQUEST to both sides."""
    now = now or timezone.now()
    start = instant(start_value)
    zone = zone_named(zone_value) if zone_value is not None else ZoneInfo(meeting.timezone)
    if meeting.status not in (MeetingStatus.BOOKED, MeetingStatus.RESCHEDULED):
        raise MeetingRefused(409, "status", f"a {meeting.status} meeting cannot be moved")
    end = start + dt.timedelta(minutes=meeting.calendar.meeting_minutes)
    _check_slot(meeting.calendar, start, now, meeting)
    try:
        with transaction.atomic():
            _lock_and_recheck(meeting.calendar, start, end, meeting)
            if not meeting.move(MeetingStatus.RESCHEDULED, start=start, end=end, timezone=str(zone.key),
                                sequence=meeting.sequence + 1):
                raise MeetingRefused(409, "status", "the meeting changed meanwhile; reload it")
            _after_change(meeting)
    except IntegrityError:
        raise MeetingRefused(409, "start", "someone booked this time a moment ago; pick another slot") from None
    return meeting


def cancel(meeting: Meeting) -> Meeting:
    """Cancel: SEQUENCE + 1, the event leaves the calendar, METHOD:CANCEL to both sides."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise MeetingRefused(409, "status", "this meeting is already cancelled")
    with transaction.atomic():
        if not meeting.move(MeetingStatus.CANCELLED, sequence=meeting.sequence + 1):
            raise MeetingRefused(409, "status", "the meeting changed meanwhile; reload it")
        _after_change(meeting)
    return meeting


def _after_change(meeting: Meeting) -> None:
    meeting_id = meeting.pk

    def deliver() -> None:
        celery_app.send_task(DELIVER_TASK, args=[meeting_id], queue=DELIVER_QUEUE)

    deliver.__qualname__ = "meetings.queue_delivery"
    after_commit(deliver)
    publish(meeting.organization_id, STREAM, {"type": "meeting.event", "meeting": meeting_row(meeting)})


# --- reading --------------------------------------------------------------------------------------------------------

def meeting_row(meeting: Meeting) -> dict[str, Any]:
    contact = meeting.contact
    return {
        "id": meeting.pk,
        "status": meeting.status,
        "start": meeting.start.isoformat(),
        "end": meeting.end.isoformat(),
        "timezone": meeting.timezone,
        "contact": {"id": contact.pk, "email": contact.email,
                    "name": " ".join(p for p in (contact.first_name, contact.last_name) if p),
                    "company": contact.company},
        "campaign": meeting.campaign.slug if meeting.campaign_id else None,
        "owner": meeting.owner.get_username(),
        "sequence": meeting.sequence,
        "ics_uid": meeting.ics_uid,
        "on_calendar": meeting.delivered_sequence >= meeting.sequence,
    }


def meetings_of(organization: Organization):
    return Meeting.objects.filter(organization=organization).select_related("contact", "campaign", "owner")


def upcoming(organization: Organization, *, now: dt.datetime | None = None, limit: int = 20) -> dict[str, Any]:
    """The dashboard's panel: today's meetings (in the server's zone) and the next ones, and per campaign the
    meetings booked (cancelled ones not counted)."""
    now = now or timezone.now()
    today_end = timezone.localtime(now).replace(hour=23, minute=59, second=59)
    live = meetings_of(organization).filter(status__in=HOLDING, end__gte=now)
    per_campaign = (Meeting.objects.filter(organization=organization, campaign__isnull=False)
                    .exclude(status=MeetingStatus.CANCELLED).values("campaign__slug")
                    .annotate(n=Count("pk", filter=Q(status__in=HOLDING))).order_by("campaign__slug"))
    return {
        "today": [meeting_row(m) for m in live.filter(start__lte=today_end)[:limit]],
        "upcoming": [meeting_row(m) for m in live.filter(start__gt=today_end)[:limit]],
        "booked_per_campaign": {row["campaign__slug"]: row["n"] for row in per_campaign},
    }
