"""Telling people about an incident: an email to the organization's ops address and a signed webhook.

The webhook follows the Standard Webhooks format (standardwebhooks.com): a POST of the JSON event with the headers
``webhook-id`` (the delivery's id, the same on every retry: the receiver's idempotency key), ``webhook-timestamp``
(Unix seconds of this attempt) and ``webhook-signature`` = ``v1,<base64 HMAC-SHA256 of "id.timestamp.body">``
keyed with the base64-decoded part of the ``whsec_…`` secret. The delivery row (its id and body) is stored in the
incident's transaction, before any call; the Celery task sends it after commit and retries with exponential
backoff (``monitoring.tasks``), each attempt recorded on the row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone

from live.publish import after_commit
from monitoring.models import AlertSettings, WebhookDelivery

if TYPE_CHECKING:
    from monitoring.models import Incident

SEND_EMAIL_TASK = "monitoring.send_incident_email"
DELIVER_WEBHOOK_TASK = "monitoring.deliver_webhook"


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header's value for one attempt (Standard Webhooks, v1 symmetric)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def notify(incident: Incident, event: str) -> None:
    """Queue the email and the webhook of ``event`` for ``incident`` (inside its transaction; sent after commit)."""
    from rex_project.celery import CONTROL_QUEUE
    from rex_project.celery import app as celery_app

    channels = AlertSettings.objects.filter(organization_id=incident.organization_id).first()
    if channels is None:
        return
    if channels.ops_email:
        after_commit(lambda: celery_app.send_task(SEND_EMAIL_TASK, args=[incident.pk, event], queue=CONTROL_QUEUE))
    if channels.webhook_url and channels.webhook_secret_encrypted:
        delivery = WebhookDelivery.objects.create(
            organization_id=incident.organization_id, incident=incident, event=event, url=channels.webhook_url,
            payload={"type": event, "timestamp": timezone.now().isoformat(), "data": incident.as_frame()})
        after_commit(lambda: celery_app.send_task(DELIVER_WEBHOOK_TASK, args=[delivery.pk], queue=CONTROL_QUEUE))


def email_incident(incident: Incident, event: str) -> bool:
    """Mail the incident to the organization's ops address; False when there is none any more."""
    channels = AlertSettings.objects.filter(organization_id=incident.organization_id).first()
    if channels is None or not channels.ops_email:
        return False
    verb = {"incident.opened": "New", "incident.escalated": "Escalated"}.get(event, "Updated")
    subject = f"[REX] {verb} {incident.get_severity_display().lower()} incident: {incident.get_kind_display()} " \
              f"on {incident.subject}"
    lines = [incident.reason, "", f"Severity: {incident.get_severity_display()}",
             f"Opened: {incident.opened_at:%Y-%m-%d %H:%M} UTC"]
    if incident.paused_inbox_ids:
        lines.append(f"Paused: {len(incident.paused_inbox_ids)} inbox(es); they send again once the incident is "
                     "resolved.")
    lines += ["", f"{settings.REX_PUBLIC_BASE_URL.rstrip('/')}/incidents/#incident-{incident.pk}"]
    send_mail(subject[:250], "\n".join(lines), None, [channels.ops_email], fail_silently=False)
    return True


class DeliveryFailed(Exception):
    """The receiver did not answer 2xx (or could not be reached); the task retries."""


def deliver(delivery: WebhookDelivery) -> None:
    """One attempt: POST the stored event, signed for this attempt's timestamp; record the outcome on the row."""
    channels = AlertSettings.objects.filter(organization_id=delivery.organization_id).first()
    secret = channels.webhook_secret if channels is not None else ""
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(delivery.url, data=body, method="POST", headers={
        "content-type": "application/json", "user-agent": "REX-webhooks/1",
        "webhook-id": delivery.pk, "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, delivery.pk, timestamp, body)})
    started = time.monotonic()
    attempt: dict[str, Any] = {"at": timezone.now().isoformat()}
    error: str | None = None
    try:
        with urllib.request.urlopen(request, timeout=settings.REX_WEBHOOK_TIMEOUT_SECONDS) as response:
            attempt["status_code"] = response.status
    except urllib.error.HTTPError as exc:
        attempt["status_code"] = exc.code
        error = f"answered {exc.code}"
    except (OSError, ValueError) as exc:
        attempt["error"] = error = f"{type(exc).__name__}: {exc}"[:300]
    attempt["duration_ms"] = round((time.monotonic() - started) * 1000)
    delivered = error is None and 200 <= attempt["status_code"] < 300
    log = [*delivery.attempt_log, attempt]
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=F("attempts") + 1, attempt_log=log,
        **({"status": WebhookDelivery.Status.DELIVERED, "delivered_at": timezone.now()} if delivered else {}))
    if not delivered:
        raise DeliveryFailed(error or f"answered {attempt['status_code']}")


def give_up(delivery_id: str) -> None:
    WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING).update(
        status=WebhookDelivery.Status.FAILED)
