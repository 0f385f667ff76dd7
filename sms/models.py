"""Sender numbers (the sending identities of texts), their daily counters, the texts sent and Twilio's webhooks.

A ``SenderNumber`` is to texts what an ``inboxes.Inbox`` is to email: ``reserve_send()`` takes one slot of today's
volume and one of its second's rate with conditional updates under the number's row lock, so no number of
concurrent workers can push it past either (the same invariant as ``Inbox.reserve_send``, see inboxes/caps.py).

Every text is an ``inboxes.OutboundMessage`` (channel "sms": its idempotency key, status and Twilio's Message SID
live there, with every other message REX sends); ``SmsMessage`` adds what only a text has: the number or
Messaging Service it left from, its body (needed to find it again on Twilio, see ``sms.sending``) and Twilio's
delivery status. ``TwilioEvent`` remembers each webhook once (MessageSid and status): a replay finds its row.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from inboxes.models import OutboundMessage, validate_timezone
from sms.numbers import e164_problem, is_us_long_code
from tenants.models import Organization

MESSAGING_SERVICE_SID = RegexValidator(r"^MG[0-9a-f]{32}$", "a Messaging Service SID is MG followed by 32 hex digits")


# The rate's per-second rows are kept this long (a clock that steps back a little still finds its row).
RATE_ROWS_KEPT = timedelta(minutes=10)


def validate_e164(value: str) -> None:
    problem = e164_problem(value)
    if problem:
        raise ValidationError(problem)


class SenderRefused(Exception):
    """A sender number may not send now: ``scope`` "status" (paused, unregistered), "cap" (today's volume used)
    or "rate" (its per-second rate: ``retry_at`` says when its next turn comes)."""

    def __init__(self, message: str, *, scope: str, number: str, retry_at: datetime | None = None) -> None:
        super().__init__(message)
        self.message, self.scope, self.number, self.retry_at = message, scope, number, retry_at


class SenderNumber(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"                # held by ops (or a carrier's complaint): sends nothing
        UNREGISTERED = "unregistered", "Unregistered"  # a US long code without an A2P 10DLC campaign

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="sender_numbers")
    phone_number = models.CharField(max_length=16, unique=True, validators=[validate_e164],
                                    help_text="E.164, e.g. +14155550123: the number texts leave from and "
                                              "replies come to.")
    # When set, texts are sent through the Messaging Service (Twilio picks the number of its pool, with sticky
    # sender and its own opt-out handling); the number above still identifies replies.
    messaging_service_sid = models.CharField(max_length=34, blank=True, validators=[MESSAGING_SERVICE_SID])
    # The A2P 10DLC campaign the number is registered under (US long codes may not send without one).
    a2p_campaign_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    pause_reason = models.CharField(max_length=200, blank=True)
    daily_cap = models.PositiveIntegerField(default=settings.REX_SMS_DAILY_CAP)
    per_second = models.PositiveSmallIntegerField(default=settings.REX_SMS_PER_SECOND,
                                                  validators=[MinValueValidator(1)],
                                                  help_text="Texts a second at most (Twilio queues beyond its own "
                                                            "rate; carriers filter bursts).")
    # The day of the daily cap is the number's local day.
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phone_number"]

    def __str__(self) -> str:
        return self.phone_number

    @property
    def needs_10dlc(self) -> bool:
        return is_us_long_code(self.phone_number) and not self.has_10dlc_registration

    @property
    def has_10dlc_registration(self) -> bool:
        # A US long code is registered through its A2P campaign, whether it sends alone or in a Messaging Service.
        return bool(self.a2p_campaign_id.strip())

    def save(self, *args, **kwargs) -> None:
        # The registration decides the status on every save: an unregistered US long code can never be active,
        # and registering one (ops add the campaign id) makes it active.
        if self.needs_10dlc:
            self.status = self.Status.UNREGISTERED
        elif self.status == self.Status.UNREGISTERED:
            self.status = self.Status.ACTIVE
        super().save(*args, **kwargs)

    def refusal(self) -> str | None:
        """Why this number may not send at all right now, or None."""
        if self.needs_10dlc:
            return (f"sender number {self.phone_number} is a US long code without an A2P 10DLC registration: add "
                    "its campaign id (a2p_campaign_id) before it sends; carriers block unregistered traffic")
        if self.status != self.Status.ACTIVE:
            reason = f" ({self.pause_reason})" if self.pause_reason else ""
            return f"sender number {self.phone_number} is {self.status}{reason}"
        return None

    def pause(self, reason: str) -> bool:
        """Pause an active number with its reason; False when it was not active (paused already, unregistered).

        A conditional update: two failure reports racing pause it once, and an ops pause's reason is never
        overwritten by a later automatic one.
        """
        reason = reason[:200]
        paused = SenderNumber.objects.filter(pk=self.pk, status=self.Status.ACTIVE).update(
            status=self.Status.PAUSED, pause_reason=reason)
        if paused:
            self.status, self.pause_reason = self.Status.PAUSED, reason
        return bool(paused)

    def local_day_bounds(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        """The number's local day containing ``now``, as [start, end) instants."""
        zone = ZoneInfo(self.timezone)
        day = self.local_today(now)
        start = datetime.combine(day, datetime.min.time(), zone)
        return start, datetime.combine(day + timedelta(days=1), datetime.min.time(), zone)

    def local_today(self, now: datetime | None = None) -> date:
        return (now or timezone.now()).astimezone(ZoneInfo(self.timezone)).date()

    def reserve_send(self, *, now: datetime | None = None, at: datetime | None = None) -> date:
        """Take one slot of today's volume and one of this second's rate; returns the day it counts on.

        ``now`` decides the day (a sequencer passes its planned instant); ``at`` the second of the rate, which is
        about how fast texts really leave: the wall clock unless given. Raises ``SenderRefused`` (nothing taken)
        when the number may not send, has used today's volume, or this second's rate. Both counters move only
        through conditional updates whose row counts are checked, under the number's row lock, so concurrent
        workers can never overshoot either. Give the day's
        slot back with ``release_send(day)`` when the text then never leaves.
        """
        now = now or timezone.now()
        with transaction.atomic():
            fresh = SenderNumber.objects.select_for_update(no_key=True).get(pk=self.pk)
            for name in ("status", "a2p_campaign_id", "messaging_service_sid", "daily_cap", "per_second",
                         "timezone", "pause_reason"):
                setattr(self, name, getattr(fresh, name))
            refusal = fresh.refusal()
            if refusal:
                raise SenderRefused(refusal, scope="status", number=fresh.phone_number)
            day = fresh.local_today(now)
            SenderNumberDay.objects.bulk_create([SenderNumberDay(number_id=fresh.pk, day=day)], ignore_conflicts=True)
            if not SenderNumberDay.objects.filter(number_id=fresh.pk, day=day, sent__lt=fresh.daily_cap).update(
                    sent=F("sent") + 1):
                raise SenderRefused(f"sender number {fresh.phone_number} has used its {fresh.daily_cap} texts for "
                                    f"{day}", scope="cap", number=fresh.phone_number)
            # The rate: at most per_second texts in one second. Raised inside the block, so the day's slot taken
            # just above is rolled back with it.
            second = (at or timezone.now()).replace(microsecond=0)
            SenderNumberSecond.objects.filter(number_id=fresh.pk, second__lt=second - RATE_ROWS_KEPT).delete()
            SenderNumberSecond.objects.bulk_create([SenderNumberSecond(number_id=fresh.pk, second=second)],
                                                   ignore_conflicts=True)
            if not SenderNumberSecond.objects.filter(number_id=fresh.pk, second=second,
                                                     sent__lt=fresh.per_second).update(sent=F("sent") + 1):
                raise SenderRefused(f"sender number {fresh.phone_number} is at its rate of {fresh.per_second} "
                                    "texts a second", scope="rate", number=fresh.phone_number,
                                    retry_at=second + timedelta(seconds=1))
        return day

    def release_send(self, day: date) -> bool:
        """Give back a day's slot for a text that never left; never below zero."""
        return bool(SenderNumberDay.objects.filter(number_id=self.pk, day=day, sent__gt=0).update(sent=F("sent") - 1))


class SenderNumberDay(models.Model):
    number = models.ForeignKey(SenderNumber, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["number", "day"], name="unique_sender_number_day")]

    def __str__(self) -> str:
        return f"{self.number_id} {self.day}: {self.sent} sent"


class SenderNumberSecond(models.Model):
    """One number's texts in one second (the rate's counter); rows older than ``RATE_ROWS_KEPT`` are dropped."""

    number = models.ForeignKey(SenderNumber, on_delete=models.CASCADE, related_name="+")
    second = models.DateTimeField()
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["number", "second"], name="unique_sender_number_second")]

    def __str__(self) -> str:
        return f"{self.number_id} {self.second:%H:%M:%S}: {self.sent}"


class SmsMessage(models.Model):
    """What a text has beyond its ``OutboundMessage``: where it left from, its body, Twilio's delivery status."""

    outbound = models.OneToOneField(OutboundMessage, on_delete=models.CASCADE, related_name="sms")
    sender = models.ForeignKey(SenderNumber, null=True, on_delete=models.SET_NULL, related_name="messages")
    from_number = models.CharField(max_length=16)
    messaging_service_sid = models.CharField(max_length=34, blank=True)
    body = models.TextField()
    # When the current attempt was handed to Twilio: a re-run finding the text ``sending`` asks Twilio about it,
    # and sends again only once this is older than the reconcile delay (see sms.sending).
    attempted_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Twilio's own status (queued, sent, delivered, undelivered, failed…) from the status callbacks.
    delivery_status = models.CharField(max_length=16, blank=True)
    error_code = models.CharField(max_length=16, blank=True)
    delivery_updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"sms {self.outbound_id} ({self.delivery_status or 'not reported'})"


class TwilioEvent(models.Model):
    """One webhook Twilio delivered, once: its unique (kind, MessageSid, status) makes a replay a no-op."""

    class Kind(models.TextChoices):
        STATUS = "status", "Status callback"
        INBOUND = "inbound", "Incoming text"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    message_sid = models.CharField(max_length=34)
    message_status = models.CharField(max_length=16, blank=True)
    organization = models.ForeignKey(Organization, null=True, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "message_sid", "message_status"],
                                               name="unique_twilio_event")]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_sid} {self.message_status}".strip()

    @classmethod
    def first_time(cls, kind: str, message_sid: str, *, message_status: str = "",
                   organization: Organization | None = None) -> TwilioEvent | None:
        """The new row for this delivery, or None when it was seen before (a replay or a redelivery).

        Call inside the transaction that acts on it: if acting fails, the row goes too and a redelivery is acted
        on. A savepoint keeps the caller's transaction usable after losing the unique constraint.
        """
        try:
            with transaction.atomic():
                return cls.objects.create(kind=kind, message_sid=message_sid, message_status=message_status[:16],
                                          organization=organization)
        except IntegrityError:
            return None


class UndeliverablePhone(models.Model):
    """A phone Twilio reported as one that cannot receive texts (30005 unknown, 30006 landline or unreachable
    carrier): never texted again by the organization. Email to the same person is unaffected, which is why this
    is not the shared suppression list (a suppressed phone stops the person's emails too).

    Only the phone's digest is kept (``inboxes.addresses``), like an erased suppression: the row says "this
    number is dead" without holding whose number it was.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    phone_hash = models.CharField(max_length=64)
    error_code = models.CharField(max_length=16)
    # The text that proved it (its MessageSid): where ops look when a number is disputed.
    source = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["organization", "phone_hash"],
                                               name="unique_undeliverable_phone")]

    def __str__(self) -> str:
        return f"undeliverable phone (Twilio {self.error_code})"
