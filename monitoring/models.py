"""Incidents found by the anomaly pass, the organization's alert settings, and the webhook deliveries.

An ``Incident`` is one finding about one subject (an inbox, a domain, an agent, the mission queue): open while the
subject is out of bounds, deduplicated while open (one open or acknowledged incident per organization, kind and
subject, by a partial unique constraint), then acknowledged by a person and resolved by a person or by the pass
once the subject recovered. Its moves go through ``INCIDENT_STATES`` (``core.statemachine``).

``inboxes.Incident`` stays where it is: it is the sending app's own record of an infrastructure bounce burst (the
receiver refused the *sender*), opened and acted on synchronously inside ``record_bounce``. The general incidents
here are opened by the periodic pass over rates; ``monitoring.receivers`` mirrors each new sending incident into
one of these, so the banner, the incidents page and the alerts cover both.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.crypto import decrypt, encrypt
from core.statemachine import IllegalTransition, StateMachine
from tenants.models import Organization


class AlertSettings(models.Model):
    """Where an organization's incidents are sent: an ops mailbox and an outbound webhook (Standard Webhooks)."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="alert_settings")
    ops_email = models.EmailField(max_length=254, blank=True, help_text="Every new or escalated incident is mailed here.")
    webhook_url = models.URLField(max_length=500, blank=True, help_text="Receives each incident as a signed POST.")
    # The "whsec_<base64>" signing secret as a Fernet token (core.crypto): never shown again once saved.
    webhook_secret_encrypted = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name_plural = "alert settings"

    def __str__(self) -> str:
        return f"alerts of {self.organization}"

    def set_webhook_secret(self, raw: str) -> None:
        if raw and not raw.startswith("whsec_"):
            raise ValueError("a Standard Webhooks secret starts with whsec_")
        self.webhook_secret_encrypted = encrypt(raw) if raw else ""

    @property
    def webhook_secret(self) -> str:
        return decrypt(self.webhook_secret_encrypted) if self.webhook_secret_encrypted else ""


class IncidentStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class Severity(models.TextChoices):
    WARNING = "warning", "Warning"
    CRITICAL = "critical", "Critical"


class Kind(models.TextChoices):
    BOUNCE_RATE = "bounce_rate", "Bounce rate"
    COMPLAINT_RATE = "complaint_rate", "Complaint rate"
    REPLY_RATE_DROP = "reply_rate_drop", "Reply rate drop"
    DEFERRAL_SPIKE = "deferral_spike", "Deferral spike"
    AGENT_FAILURE_RATE = "agent_failure_rate", "Agent failure rate"
    AGENT_DURATION = "agent_duration", "Agent duration"
    QUEUE_AGE = "queue_age", "Oldest queued mission"
    SENDER_REFUSED = "sender_refused", "Receivers refuse the sender"


# Kinds whose critical finding pauses the subject's sending (sender reputation is at stake).
REPUTATION_KINDS = frozenset({Kind.BOUNCE_RATE, Kind.COMPLAINT_RATE})

_S = IncidentStatus
INCIDENT_STATES = StateMachine("status", {
    _S.OPEN: frozenset({_S.ACKNOWLEDGED, _S.RESOLVED}),
    _S.ACKNOWLEDGED: frozenset({_S.RESOLVED}),
    _S.RESOLVED: frozenset(),
}, error=IllegalTransition)
UNRESOLVED = (_S.OPEN, _S.ACKNOWLEDGED)


class Incident(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    severity = models.CharField(max_length=16, choices=Severity.choices)
    # What it is about: "inbox", "domain", "agent" or "queue", its key ("inbox:12") and a name people read.
    subject_type = models.CharField(max_length=16)
    subject_key = models.CharField(max_length=100)
    subject = models.CharField(max_length=254)
    reason = models.CharField(max_length=500, help_text='With the numbers, e.g. "bounce rate 6.0 % (12 of 200) …"')
    figures = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolution = models.CharField(max_length=200, blank=True)
    # The inboxes this incident paused (protective action), resumed when it is resolved.
    paused_inbox_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(
            fields=["organization", "kind", "subject_key"], condition=models.Q(status__in=["open", "acknowledged"]),
            name="one_unresolved_incident_per_subject")]
        indexes = [models.Index(fields=["organization", "status"], name="incident_org_status")]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} {self.get_kind_display()} on {self.subject}"

    @property
    def is_reputation(self) -> bool:
        return self.kind in REPUTATION_KINDS

    def as_frame(self) -> dict[str, Any]:
        """What the banner, the incidents page, the email and the webhook say about it."""
        return {
            "id": self.pk, "kind": self.kind, "kind_label": self.get_kind_display(), "severity": self.severity,
            "subject_type": self.subject_type, "subject": self.subject, "reason": self.reason,
            "figures": self.figures, "status": self.status, "opened_at": self.opened_at.isoformat(),
            "acknowledged_at": self.acknowledged_at.isoformat() if self.acknowledged_at else None,
            "resolved_at": self.resolved_at.isoformat() if self.resolved_at else None,
            "resolution": self.resolution, "paused_inboxes": len(self.paused_inbox_ids),
        }


class WebhookDelivery(models.Model):
    """One incident event sent to the organization's webhook; its id (``webhook-id``) is stored before the first
    attempt and kept by every retry, so the receiver can drop duplicates."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    id = models.CharField(primary_key=True, max_length=40, default="", editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="webhook_deliveries")
    incident = models.ForeignKey(Incident, null=True, on_delete=models.SET_NULL, related_name="deliveries")
    event = models.CharField(max_length=40, help_text='e.g. "incident.opened"')
    url = models.URLField(max_length=500)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # Each attempt: {"at", "status_code" or "error", "duration_ms"}.
    attempt_log = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} to {self.url} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.id:
            self.id = f"msg_{uuid.uuid4().hex}"
        super().save(*args, **kwargs)
