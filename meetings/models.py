"""Meetings on the owner's real calendar: where the owner's time lives, how a campaign books into it, the link a
prospect books with, the meeting itself (a state machine), and the answers the book-meeting agent drafts.

``Meeting`` owns its moves (``MEETING_STATES``): booked → rescheduled → … → cancelled, each a conditional UPDATE
that also bumps the ICS ``sequence`` (RFC 5546: every change the attendees must see is a new SEQUENCE of the same
UID). Two bookings of one slot are refused by the database itself: a partial unique constraint on (calendar,
start) over the live statuses, behind a ``select_for_update`` of the calendar row that serialises one owner's
bookings (overlaps that start at another minute are checked under that lock).
"""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone as django_timezone

from campaigns.models import Campaign, Contact, Enrollment, five_pm, list_of_weekdays, nine_am
from core.crypto import decrypt, encrypt
from core.statemachine import IllegalTransition, StateMachine
from inboxes.models import validate_timezone
from replies.models import InboundMessage
from tenants.models import Organization


class CalendarAccount(models.Model):
    """One owner's calendar and the rules of their bookable time (in the owner's zone)."""

    class Backend(models.TextChoices):
        CALDAV = "caldav", "CalDAV"
        GOOGLE = "google", "Google Calendar"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="calendars")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendars")
    # The address invitations name as ORGANIZER and send the owner's copy to.
    owner_email = models.EmailField(max_length=254)
    name = models.CharField(max_length=100)
    backend = models.CharField(max_length=8, choices=Backend.choices, default=Backend.CALDAV)
    # CalDAV: the calendar collection's URL. Google: the calendar id ("primary" or an address).
    url = models.CharField(max_length=500)
    username = models.CharField(max_length=200, blank=True)
    # CalDAV: the password; Google: an OAuth access token. Fernet-encrypted (core.crypto).
    secret_encrypted = models.TextField(blank=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    work_days = models.JSONField(default=list_of_weekdays)
    work_start = models.TimeField(default=nine_am)
    work_end = models.TimeField(default=five_pm)
    meeting_minutes = models.PositiveSmallIntegerField(default=30)
    # Free time kept before and after every busy period, so meetings never run back to back.
    buffer_minutes = models.PositiveSmallIntegerField(default=10)
    # No slot starts sooner than this after now: nobody wants a meeting booked for 5 minutes from now.
    min_notice_minutes = models.PositiveIntegerField(default=240)
    slot_step_minutes = models.PositiveSmallIntegerField(default=30)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="unique_calendar_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_backend_display()})"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def set_secret(self, secret: str) -> None:
        self.secret_encrypted = encrypt(secret) if secret else ""

    def secret(self) -> str:
        return decrypt(self.secret_encrypted) if self.secret_encrypted else ""


class CampaignMeetings(models.Model):
    """How a campaign books meetings: into which calendar, and whether the agent's answer waits for a person."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="meeting_settings")
    calendar = models.ForeignKey(CalendarAccount, on_delete=models.PROTECT, related_name="campaigns")
    # True: the drafted answer waits on the inbox page for approve / edit / reject; False: it is sent at once.
    approval_required = models.BooleanField(default=True)
    link_valid_days = models.PositiveSmallIntegerField(default=14)

    def __str__(self) -> str:
        return f"{self.campaign} → {self.calendar}"


class BookingLink(models.Model):
    """The one booking link of an enrollment; the token in its URL is this row's id, signed (``meetings.tokens``)."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="booking_link")
    calendar = models.ForeignKey(CalendarAccount, on_delete=models.CASCADE, related_name="booking_links")
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"link of enrollment {self.enrollment_id} (until {self.expires_at:%Y-%m-%d})"

    @property
    def expired(self) -> bool:
        return self.expires_at <= django_timezone.now()


class MeetingStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    BOOKED = "booked", "Booked"
    RESCHEDULED = "rescheduled", "Rescheduled"
    CANCELLED = "cancelled", "Cancelled"


S = MeetingStatus
MEETING_TRANSITIONS = {
    S.PROPOSED: frozenset({S.BOOKED, S.CANCELLED}),
    S.BOOKED: frozenset({S.RESCHEDULED, S.CANCELLED}),
    S.RESCHEDULED: frozenset({S.RESCHEDULED, S.CANCELLED}),
    S.CANCELLED: frozenset(),
}
# The statuses that hold the owner's time.
HOLDING = (S.PROPOSED, S.BOOKED, S.RESCHEDULED)


class IllegalMeetingTransition(IllegalTransition):
    pass


MEETING_STATES = StateMachine("status", MEETING_TRANSITIONS, error=IllegalMeetingTransition)


def new_ics_uid() -> str:
    return f"{uuid.uuid4()}@rex"


class Meeting(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="meetings")
    calendar = models.ForeignKey(CalendarAccount, on_delete=models.PROTECT, related_name="meetings")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings")
    enrollment = models.ForeignKey(Enrollment, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="meetings")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="meetings")
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    start = models.DateTimeField()
    end = models.DateTimeField()
    # The prospect's zone when they booked: what the invitation's text and the page speak in.
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    status = models.CharField(max_length=16, choices=MeetingStatus.choices, default=S.BOOKED)
    # Stored before the calendar is written: the write is a PUT of this UID, so a retry never makes a second event.
    ics_uid = models.CharField(max_length=100, unique=True, default=new_ics_uid)
    # RFC 5546 SEQUENCE: 0 when booked, +1 on every reschedule and on the cancel.
    sequence = models.PositiveIntegerField(default=0)
    # The event's id on the calendar (CalDAV: its URL; Google: the event id), once written.
    calendar_event_id = models.CharField(max_length=500, blank=True)
    # Which sequence number the calendar and the invitations are up to date with (-1: nothing delivered yet).
    delivered_sequence = models.IntegerField(default=-1)
    delivery_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=django_timezone.now)
    updated_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            # One slot of one owner's calendar holds one meeting: the loser of a race hits this, never a double
            # booking.
            models.UniqueConstraint(fields=["calendar", "start"], condition=models.Q(status__in=HOLDING),
                                    name="unique_meeting_slot"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="meeting_ends_after_start"),
        ]
        indexes = [models.Index(fields=["organization", "start"]), models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"{self.contact} at {self.start:%Y-%m-%d %H:%M} UTC ({self.status})"

    def move(self, target: str, **updates: Any) -> bool:
        """Move to ``target`` if still in the status it was read in; False when someone moved it first."""
        return MEETING_STATES.move(self, target, updates={"updated_at": django_timezone.now(), **updates})


class DraftStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    SENT = "sent", "Sent"
    REJECTED = "rejected", "Rejected"


class MeetingDraft(models.Model):
    """The answer the book-meeting agent wrote (booking link + proposed slots), sent or waiting for a person."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="meeting_drafts")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="meeting_drafts")
    reply = models.ForeignKey(InboundMessage, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="meeting_drafts")
    # What makes the draft once: the mission's idempotency key ("reply-12-book-meeting", a command's key).
    key = models.CharField(max_length=128)
    to_address = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # The proposed slots, UTC ISO instants, as the template listed them.
    slots = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=DraftStatus.choices, default=DraftStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    # Why a person rejected it (optional, from the Inbox page or the API): what the team reads when tuning the agent.
    rejection_reason = models.CharField(max_length=500, blank=True, default="")
    outbound_id = models.UUIDField(null=True, blank=True, help_text="The OutboundMessage that carried it.")
    created_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["organization", "key"], name="unique_meeting_draft_key")]

    def __str__(self) -> str:
        return f"draft to {self.to_address} ({self.status})"
