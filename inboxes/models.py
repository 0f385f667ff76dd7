"""Inboxes (the mailboxes REX sends from), their daily counters, the suppression list and outbound messages.

Inboxes sit above domains (an inbox belongs to a domain, and a send locks the domain's row before the inbox's),
so this module imports ``domains.models`` and never the other way round.

Caps are owned here: ``Inbox.reserve_send()`` takes one slot of today's volume (today in the inbox's timezone)
from both the inbox's and its domain's counter with conditional updates, so no number of concurrent workers
can push either past its cap. Passwords are stored only encrypted (``core.crypto``).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from core.crypto import decrypt, encrypt
from domains.models import SENDING_STATES, Domain
from inboxes.addresses import digest, normalize_email, normalize_phone
from tenants.models import Organization


def validate_timezone(value: str) -> None:
    try:
        ZoneInfo(value)
    except Exception as exc:  # ZoneInfoNotFoundError, ValueError for odd strings
        raise ValidationError(f"{value!r} is not an IANA timezone (e.g. Europe/London)") from exc


class CapReached(Exception):
    """A send was refused a slot: the inbox's or the domain's volume for today is used up, or it may not send.

    ``scope`` is "inbox", "domain" or "status"; the message says which inbox or domain, which day and why.
    """

    SCOPES = ("inbox", "domain", "status")

    def __init__(self, message: str, *, scope: str, inbox: str, domain: str, day: date) -> None:
        if scope not in self.SCOPES:
            raise ValueError(f"unknown cap scope {scope!r}")
        super().__init__(message)
        self.message = message
        self.scope = scope
        self.inbox = inbox
        self.domain = domain
        self.day = day


class Inbox(models.Model):
    class Provider(models.TextChoices):
        SMTP = "smtp", "Generic SMTP"
        GOOGLE = "google", "Google Workspace"
        MICROSOFT = "microsoft", "Microsoft 365"
        SENDGRID = "sendgrid", "SendGrid"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"      # created; its domain is not sending yet
        WARMING = "warming", "Warming"      # ramping up: today's limit is warmup_limit
        ACTIVE = "active", "Active"         # warmed: today's limit is daily_cap
        PAUSED = "paused", "Paused"         # bounce or complaint rate too high: sends nothing until resumed
        DISABLED = "disabled", "Disabled"   # taken out by ops or a cancelled purchase

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="inboxes")
    domain = models.ForeignKey("domains.Domain", on_delete=models.PROTECT, related_name="inboxes")
    address = models.EmailField(max_length=254, unique=True)
    display_name = models.CharField(max_length=100, blank=True)
    provider = models.CharField(max_length=16, choices=Provider.choices, default=Provider.SMTP)
    smtp_host = models.CharField(max_length=253, blank=True)
    smtp_port = models.PositiveIntegerField(default=587)
    smtp_username = models.CharField(max_length=254, blank=True)
    # "starttls" on 587, "ssl" (implicit TLS) on 465; "none" only for a relay on the same host.
    smtp_security = models.CharField(max_length=8, default="starttls",
                                     choices=[("starttls", "STARTTLS"), ("ssl", "Implicit TLS"), ("none", "None")])
    imap_host = models.CharField(max_length=253, blank=True)
    imap_port = models.PositiveIntegerField(default=993)
    imap_username = models.CharField(max_length=254, blank=True)
    # "ssl" (implicit TLS, 993), "starttls" (143), "none" only for a server on the same host (a test's Dovecot).
    imap_security = models.CharField(max_length=8, default="ssl",
                                     choices=[("ssl", "Implicit TLS"), ("starttls", "STARTTLS"), ("none", "None")])
    # Replies are read without marking them read (the person who also reads this mailbox still sees them new),
    # unless this is set.
    imap_mark_seen = models.BooleanField(default=False)
    # Fernet token of the SMTP/IMAP password or API key (core.crypto); never shown, never logged.
    password_encrypted = models.TextField(blank=True, editable=False)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    daily_cap = models.PositiveIntegerField(default=settings.REX_INBOX_DAILY_CAP)
    # Warmup settings (defaults from REX_WARMUP_*) and progress.
    warmup_start = models.PositiveIntegerField(default=settings.REX_WARMUP_START)
    warmup_increment = models.PositiveIntegerField(default=settings.REX_WARMUP_INCREMENT)
    warmup_target_days = models.PositiveIntegerField(default=settings.REX_WARMUP_TARGET_DAYS)
    warmup_limit = models.PositiveIntegerField(default=0, help_text="Today's volume while warming.")
    warmup_day = models.PositiveIntegerField(default=0, help_text="Days of warmup so far.")
    warmup_advanced_on = models.DateField(null=True, blank=True, help_text="Day of the last warmup tick.")
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.CharField(max_length=200, blank=True)
    pauses = models.PositiveIntegerField(default=0)
    # Human pacing: the inbox sends its next sequence email no earlier than this (a random gap after the last).
    next_send_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "inbox_management"
        ordering = ["address"]
        verbose_name_plural = "inboxes"
        indexes = [models.Index(fields=["domain", "status"])]

    def __str__(self) -> str:
        return self.address

    def save(self, *args, **kwargs) -> None:
        self.address = self.address.strip().lower()
        super().save(*args, **kwargs)

    def local_today(self, now: datetime | None = None) -> date:
        return (now or timezone.now()).astimezone(ZoneInfo(self.timezone)).date()

    def current_limit(self) -> int:
        """How many sends today: the warmup volume while warming, the cap when warmed, none otherwise."""
        if self.status == self.Status.WARMING:
            return min(self.warmup_limit, self.daily_cap)
        if self.status == self.Status.ACTIVE:
            return self.daily_cap
        return 0

    # --- the secret (core.crypto) --------------------------------------------------------------------------------

    def set_password(self, raw: str) -> None:
        """Keep ``raw`` (SMTP/IMAP password or API key) encrypted; an empty value clears it. Saved with ``save()``."""
        self.password_encrypted = encrypt(raw) if raw else ""

    @property
    def password(self) -> str:
        """The decrypted secret ("" when none is set); raises ``core.crypto.SecretUnreadable`` if no key reads it."""
        return decrypt(self.password_encrypted) if self.password_encrypted else ""

    @property
    def has_password(self) -> bool:
        return bool(self.password_encrypted)

    # --- caps: the counters this model owns (the invariant and the lock order are in inboxes.caps) ---------------

    def reserve_send(self, *, now: datetime | None = None) -> date:
        """Take one slot of today's volume for this inbox and its domain; returns the local day it counts on.

        Raises ``CapReached`` (scope "inbox", "domain" or "status"; nothing taken) when the inbox or the domain
        has used today's volume, or when the inbox's status or the domain's state does not allow sending. Give
        the slot back with ``release_send(day)`` if the message then never leaves.
        """
        with transaction.atomic():
            # Domain first, inbox second: the lock order every reservation and release follows.
            domain = (Domain.objects.select_for_update(no_key=True).only("pk", "name", "state", "daily_cap")
                      .get(pk=self.domain_id))
            fresh = (Inbox.objects.select_for_update(no_key=True)
                     .only("pk", "address", "domain_id", "status", "daily_cap", "warmup_limit", "warmup_day",
                           "timezone", "pause_reason")
                     .get(pk=self.pk))
            # This instance may be minutes old (a long send loop): what counts is the row as it is now.
            for name in ("status", "daily_cap", "warmup_limit", "warmup_day", "timezone"):
                setattr(self, name, getattr(fresh, name))
            day = fresh.local_today(now)

            if fresh.status not in SENDING_STATUSES:
                reason = f" ({fresh.pause_reason})" if fresh.pause_reason else ""
                raise CapReached(f"inbox {fresh.address} cannot send: it is {fresh.status}{reason}",
                                 scope="status", inbox=fresh.address, domain=domain.name, day=day)
            if domain.state not in SENDING_STATES:
                raise CapReached(
                    f"inbox {fresh.address} cannot send: its domain {domain.name} is {domain.state} "
                    f"(domains send only while {', '.join(str(s) for s in SENDING_STATES)})",
                    scope="status", inbox=fresh.address, domain=domain.name, day=day)

            limit = fresh.current_limit()
            DomainDay.objects.bulk_create([DomainDay(domain_id=domain.pk, day=day)], ignore_conflicts=True)
            InboxDay.objects.bulk_create([InboxDay(inbox_id=fresh.pk, day=day)], ignore_conflicts=True)

            taken = (DomainDay.objects.filter(domain_id=domain.pk, day=day, sent__lt=domain.daily_cap)
                     .update(sent=F("sent") + 1))
            if not taken:
                raise CapReached(
                    f"domain {domain.name} has used its {domain.daily_cap} sends for {day} (shared by all its "
                    "inboxes)", scope="domain", inbox=fresh.address, domain=domain.name, day=day)
            taken = InboxDay.objects.filter(inbox_id=fresh.pk, day=day, sent__lt=limit).update(sent=F("sent") + 1)
            if not taken:
                # Raised inside the atomic block: the domain slot taken just above is rolled back with it.
                raise CapReached(
                    f"inbox {fresh.address} has used its {limit} sends for {day} ({fresh._describe_limit()})",
                    scope="inbox", inbox=fresh.address, domain=domain.name, day=day)
        return day

    def release_send(self, day: date) -> bool:
        """Give back a slot taken by ``reserve_send`` for ``day``, for a send that never left the building.

        Returns whether the inbox's counter went down (False: it was already at zero, nothing to give back).
        Never takes a counter below zero, so a release repeated by a retry cannot create volume out of nothing
        beyond the slots taken that day.
        """
        with transaction.atomic():
            # Same order as reserve_send (domain's counter before the inbox's).
            DomainDay.objects.filter(domain_id=self.domain_id, day=day, sent__gt=0).update(sent=F("sent") - 1)
            released = InboxDay.objects.filter(inbox_id=self.pk, day=day, sent__gt=0).update(sent=F("sent") - 1)
        return bool(released)

    def take_pacing_turn(self, *, now: datetime, gap_seconds: float) -> bool:
        """Claim this inbox's next paced send: True (and the next turn moves ``gap_seconds`` on) when its turn has come.

        A conditional update, so two workers can never both send from one inbox inside its gap.
        """
        taken = Inbox.objects.filter(pk=self.pk).filter(
            models.Q(next_send_at__isnull=True) | models.Q(next_send_at__lte=now)).update(
            next_send_at=now + timedelta(seconds=gap_seconds))
        return bool(taken)

    def _describe_limit(self) -> str:
        if self.status == self.Status.WARMING:
            return f"warming, day {self.warmup_day}"
        return f"{self.status}, cap {self.daily_cap}"

    # --- ops pause / resume --------------------------------------------------------------------------------------

    def pause_sending(self, reason: str) -> bool:
        """Stop this inbox sending (ops); False when it was not pending, warming or active any more."""
        # No paused_at: the warmup engine resumes only the pauses it made itself (paused_at set); an ops pause
        # lasts until ops resume it.
        fields = {"status": self.Status.PAUSED, "paused_at": None, "pause_reason": reason[:200]}
        moved = Inbox.objects.filter(
            pk=self.pk, status__in=(self.Status.PENDING, self.Status.WARMING, self.Status.ACTIVE)).update(**fields)
        if moved:
            for key, value in fields.items():
                setattr(self, key, value)
        return bool(moved)

    def resume_sending(self) -> bool:
        """Let a paused or disabled inbox send again: warming until its warmup volume reaches its cap, then active.

        False when it was neither paused nor disabled any more (someone else resumed or changed it first).
        """
        warmed = self.warmup_limit >= self.daily_cap
        fields = {"status": self.Status.ACTIVE if warmed else self.Status.WARMING, "paused_at": None,
                  "pause_reason": "", "warmup_limit": self.warmup_limit if warmed
                  else max(self.warmup_limit, self.warmup_start)}
        moved = Inbox.objects.filter(
            pk=self.pk, status__in=(self.Status.PAUSED, self.Status.DISABLED),
            warmup_limit=self.warmup_limit, daily_cap=self.daily_cap).update(**fields)
        if moved:
            for key, value in fields.items():
                setattr(self, key, value)
        return bool(moved)


# Inbox statuses that send: today's limit is the warmup volume (warming) or the cap (active).
SENDING_STATUSES = (Inbox.Status.WARMING, Inbox.Status.ACTIVE)


class InboxDay(models.Model):
    """One inbox's day (in its timezone): sends taken, bounces and complaints reported."""

    inbox = models.ForeignKey(Inbox, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    sent = models.PositiveIntegerField(default=0)
    bounces = models.PositiveIntegerField(default=0)
    complaints = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["inbox", "day"], name="unique_inbox_day")]

    def __str__(self) -> str:
        return f"{self.inbox_id} {self.day}: {self.sent} sent"


class DomainDay(models.Model):
    """One domain's day: sends taken across all its inboxes (the domain cap's counter)."""

    domain = models.ForeignKey("domains.Domain", on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["domain", "day"], name="unique_domain_day")]

    def __str__(self) -> str:
        return f"{self.domain_id} {self.day}: {self.sent} sent"


class Suppression(models.Model):
    """Who must not be contacted again, on any channel. Checked before every send; written at once on unsubscribe.

    One row per organization and address, found by the address's digest (``inboxes.addresses``): when a person
    asks to be erased, ``privacy`` blanks the plaintext and the row lives on as the digest alone, so the person
    is never mailed or imported again and nobody can read who it was.
    """

    class Reason(models.TextChoices):
        UNSUBSCRIBE = "unsubscribe", "Unsubscribed"
        SMS_STOP = "sms_stop", "SMS stop keyword"
        BOUNCE = "bounce", "Hard bounce"
        COMPLAINT = "complaint", "Spam complaint"
        MANUAL = "manual", "Added by ops"
        # The person asked to be erased (privacy): never contact them again, and keep no plaintext of who it was.
        ERASED = "erased", "Erased on request"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="suppressions")
    contact = models.ForeignKey("campaigns.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="suppressions")
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    # SHA-256 of the normalised email / phone, written by save(); what every check matches on.
    email_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    erased_at = models.DateTimeField(null=True, blank=True, editable=False,
                                     help_text="When the plaintext was erased on the person's request.")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    source = models.CharField(max_length=200, blank=True, help_text="What reported it (a message id, a webhook).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "email"], condition=~models.Q(email=""),
                                    name="unique_suppressed_email"),
            models.UniqueConstraint(fields=["organization", "phone"], condition=~models.Q(phone=""),
                                    name="unique_suppressed_phone"),
            models.UniqueConstraint(fields=["organization", "email_hash"], condition=~models.Q(email_hash=""),
                                    name="unique_suppressed_email_hash"),
            models.UniqueConstraint(fields=["organization", "phone_hash"], condition=~models.Q(phone_hash=""),
                                    name="unique_suppressed_phone_hash"),
        ]

    def __str__(self) -> str:
        if self.erased_at is not None:
            return f"erased person ({self.reason})"
        return f"{self.email or self.phone} ({self.reason})"

    def save(self, *args, **kwargs) -> None:
        self.email = normalize_email(self.email)
        self.phone = normalize_phone(self.phone)
        # An erased row has no plaintext left: its digests are all there is, and must stay.
        if self.email:
            self.email_hash = digest(self.email)
        if self.phone:
            self.phone_hash = digest(self.phone)
        super().save(*args, **kwargs)


class OutboundMessage(models.Model):
    """One message REX sends. Its idempotency key is stored (unique) before the send, so a re-run never sends twice."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"        # row written, slot reserved, not handed to the transport yet
        SENDING = "sending", "Sending"        # handed to the transport; outcome not recorded yet
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SUPPRESSED = "suppressed", "Suppressed"  # the recipient was on the suppression list at send time

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="outbound_messages")
    inbox = models.ForeignKey(Inbox, null=True, blank=True, on_delete=models.PROTECT, related_name="messages")
    campaign = models.ForeignKey("campaigns.Campaign", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="messages")
    contact = models.ForeignKey("campaigns.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="messages")
    mission = models.ForeignKey("missions.Mission", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="outbound_messages")
    idempotency_key = models.CharField(max_length=128, unique=True)
    channel = models.CharField(max_length=8, default="email", choices=[("email", "Email"), ("sms", "SMS")])
    to_address = models.CharField(max_length=254)
    subject = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    transport = models.CharField(max_length=16, blank=True)
    message_id = models.CharField(max_length=300, blank=True, help_text="The Message-ID header REX set.")
    # Threading (a follow-up in a sequence): the Message-ID it answers and the chain before it, stored with the
    # key so a retried send carries exactly the same headers.
    in_reply_to = models.CharField(max_length=300, blank=True)
    references = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=300, blank=True)
    slot_day = models.DateField(null=True, blank=True, help_text="The inbox day whose slot this message took.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "status"]), models.Index(fields=["campaign", "status"]),
                   # /metrics counts messages by channel and status at every scrape: an index-only scan.
                   models.Index(fields=["channel", "status"], name="outbound_channel_status"),
                   # "how many emails did we send today" and the rates count sent messages in a time window.
                   models.Index(fields=["organization", "status", "sent_at"], name="outbound_org_status_sent"),
                   # The analytics rollup counts an organization's sends of one day (analytics.rollup).
                   models.Index(fields=["organization", "sent_at"], name="outbound_org_sent_at")]

    def __str__(self) -> str:
        return f"{self.channel} to {self.to_address} ({self.status})"


class BounceRecord(models.Model):
    """One bounce, from wherever it was learnt (a DSN read over IMAP, a SendGrid event, an SMTP refusal at send
    time), classified: ``hard`` (the address is dead), ``soft`` (full, temporary) or ``infrastructure`` (the
    receiver refused the sender: SPF/DKIM/DMARC, blocklists, reputation; never the contact's fault)."""

    class Class(models.TextChoices):
        HARD = "hard", "Hard"
        SOFT = "soft", "Soft"
        INFRASTRUCTURE = "infrastructure", "Infrastructure"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="bounce_records")
    inbox = models.ForeignKey(Inbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="bounce_records")
    domain = models.ForeignKey("domains.Domain", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="bounce_records")
    message = models.ForeignKey("OutboundMessage", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="bounce_records")
    recipient = models.CharField(max_length=254, blank=True, db_index=True)
    klass = models.CharField("class", max_length=16, choices=Class.choices)
    status = models.CharField(max_length=16, blank=True, help_text="The enhanced status code, e.g. 5.1.1.")
    reason = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="imap <id>, sendgrid <event>, smtp.")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["domain", "klass", "at"]),
                   # The bounce rate of an organization, a client or a campaign counts its bounces in a time window.
                   models.Index(fields=["organization", "at"], name="bounce_org_at")]

    def __str__(self) -> str:
        return f"{self.klass} bounce of {self.recipient} ({self.status})"


class Incident(models.Model):
    """A problem with the sender, not the contact: infrastructure bounces (SPF/DKIM/DMARC failures, blocklists,
    reputation or policy blocks) that paused a domain's inboxes. Open until a person closes it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="sending_incidents")
    domain = models.ForeignKey("domains.Domain", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="sending_incidents")
    inbox = models.ForeignKey(Inbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents")
    reason = models.CharField(max_length=500, help_text='e.g. "DMARC failure at gmail.com, 5.7.26"')
    bounces = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.domain_id}: {self.reason}"
