"""Inbound mail: each inbox's IMAP cursor, and every message read, with its triage and what REX did about it.

``MailboxCursor`` keeps, per inbox and folder, the UIDVALIDITY and the last UID read, so nothing is fetched twice
and nothing is missed across restarts; when the server's UIDVALIDITY changes the folder is read again from the
start and messages already stored (same Message-ID in that inbox) are skipped. An inbox's last IMAP failure is kept
on its cursor and never stops the other inboxes.

``InboundMessage`` keeps the raw bytes as received, the parsed headers, the new text of a reply (the quoted thread
cut off), what it was matched to (the outbound email it answers, the contact and enrollment), its triage (one
category, the layer that decided it, the details: bounce class and status, return date, referral) and a person's
correction, which the accuracy figure counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from campaigns.models import Contact, Enrollment
from inboxes.models import Inbox, OutboundMessage
from tenants.models import Organization


class Category(models.TextChoices):
    BOUNCE = "bounce", "Bounce"
    COMPLAINT = "complaint", "Complaint"
    OUT_OF_OFFICE = "out_of_office", "Out of office"
    AUTO_REPLY = "auto_reply", "Auto-reply"
    UNSUBSCRIBE = "unsubscribe", "Unsubscribe"
    NOT_INTERESTED = "not_interested", "Not interested"
    INTERESTED = "interested", "Interested"
    REFERRAL = "referral", "Referral"
    QUESTION = "question", "Question"
    OTHER = "other", "Other"
    NEEDS_REVIEW = "needs_review", "Needs review"


# The categories a person wrote (anything else is a machine's: bounces, complaints, auto-replies).
HUMAN_CATEGORIES = frozenset({Category.UNSUBSCRIBE, Category.NOT_INTERESTED, Category.INTERESTED, Category.REFERRAL,
                              Category.QUESTION, Category.OTHER, Category.NEEDS_REVIEW})


class Layer(models.TextChoices):
    RULES = "rules", "Rules"
    LLM = "llm", "LLM"
    REVIEW = "review", "Needs review"   # neither layer was sure enough: left for a person, never guessed
    HUMAN = "human", "Relabelled by a person"


class MailboxCursor(models.Model):
    """Where reading one folder of one inbox got to."""

    inbox = models.ForeignKey(Inbox, on_delete=models.CASCADE, related_name="imap_cursors")
    folder = models.CharField(max_length=200, default="INBOX")
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    messages_read = models.PositiveIntegerField(default=0)
    # The last failure (authentication refused, timeout, TLS): shown on the inbox, cleared by the next good poll.
    last_error = models.CharField(max_length=500, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inbox", "folder"], name="unique_mailbox_cursor")]

    def __str__(self) -> str:
        return f"{self.inbox_id}/{self.folder}: uid {self.last_uid} (validity {self.uidvalidity})"


class InboundMessage(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="inbound_messages")
    inbox = models.ForeignKey(Inbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_messages")
    channel = models.CharField(max_length=8, default="email", choices=[("email", "Email"), ("sms", "SMS")])
    folder = models.CharField(max_length=200, blank=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    uid = models.BigIntegerField(null=True, blank=True)
    raw = models.BinaryField(help_text="The message exactly as received.")
    message_id = models.CharField(max_length=300, blank=True, db_index=True)
    in_reply_to = models.CharField(max_length=300, blank=True)
    references = models.TextField(blank=True)
    from_address = models.CharField(max_length=254, blank=True, db_index=True)
    from_name = models.CharField(max_length=200, blank=True)
    to_address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="The Date header.")
    received_at = models.DateTimeField(default=timezone.now)
    body_text = models.TextField(blank=True)
    # The reply's own words: the quoted thread and the signature cut off by a reply parser.
    new_text = models.TextField(blank=True)

    # What it answers.
    outbound = models.ForeignKey(OutboundMessage, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="replies")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound")
    enrollment = models.ForeignKey(Enrollment, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="inbound")
    # How it was matched: "in_reply_to", "references", "sender", "company", "bounce" (the DSN names the recipient
    # and quotes our Message-ID) or "" (nothing).
    match = models.CharField(max_length=16, blank=True)

    # Triage.
    category = models.CharField(max_length=16, choices=Category.choices, blank=True, db_index=True)
    layer = models.CharField(max_length=8, choices=Layer.choices, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    # {"bounce": {"class", "recipient", "status", "reason"} | None, "return_date": "YYYY-MM-DD" | None,
    #  "referral": {"email", "name"} | None, "reason": "what decided it"}
    details = models.JSONField(default=dict, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    # A person's relabel: kept beside the machine's answer, so the accuracy figure can count corrections.
    corrected_category = models.CharField(max_length=16, choices=Category.choices, blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    corrected_at = models.DateTimeField(null=True, blank=True)
    # What REX did about it (stopped the sequence, paused until …, suppressed, …), once.
    acted_at = models.DateTimeField(null=True, blank=True)
    actions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["inbox", "folder", "uidvalidity", "uid"], condition=models.Q(uid__isnull=False),
                                    name="unique_inbound_uid"),
            models.UniqueConstraint(fields=["inbox", "message_id"], condition=~models.Q(message_id=""),
                                    name="unique_inbound_message_id"),
        ]
        indexes = [models.Index(fields=["organization", "-received_at"]),
                   models.Index(fields=["organization", "category"])]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.subject[:60]} ({self.effective_category or 'untriaged'})"

    @property
    def effective_category(self) -> str:
        """The category REX acts on and shows: a person's correction over the machine's answer."""
        return self.corrected_category or self.category


class SentReply(models.Model):
    """A reply a person wrote from the inbox page: the text they sent (an ``OutboundMessage`` keeps no body), who
    sent it and the message it answers. One per outbound message; a double click reuses the same one."""

    inbound = models.ForeignKey(InboundMessage, on_delete=models.CASCADE, related_name="sent_replies")
    message = models.OneToOneField(OutboundMessage, on_delete=models.CASCADE, related_name="sent_reply")
    body = models.TextField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    request_id = models.CharField(max_length=64, help_text="The client's id of the click, for idempotency.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["inbound", "request_id"], name="unique_sent_reply_request")]

    def __str__(self) -> str:
        return f"reply to {self.inbound_id} ({self.request_id})"

