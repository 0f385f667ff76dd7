"""``POST /webhook/sendgrid``: SendGrid's Event Webhook tells us about bounces, spam complaints and unsubscribes.

SendGrid signs each batch with ECDSA (P-256, SHA-256) over ``timestamp + body``; the check is the SDK's own
``EventWebhook.verify_signature`` with the public key from SENDGRID_WEBHOOK_PUBLIC_KEY. No key configured, a bad
signature or a timestamp more than ``MAX_SKEW_SECONDS`` away from now: 403, nothing stored.

Each event names our message by the custom arg the SendGrid transport set (``rex_outbound_id``) or, failing
that, by ``sg_message_id`` (the ``X-Message-Id`` SendGrid answered, plus a suffix per recipient). Handled
event ids (for an event without one, a hash of its canonical JSON) are remembered in the cache for a day, so a
redelivered batch (SendGrid retries for up to 72 hours when we do not answer 2xx, and replays older than ten
minutes fail the timestamp check anyway) counts a bounce or complaint once. Without the cache we answer 503 and
let SendGrid retry, rather than risk counting twice.
"""

from __future__ import annotations

import binascii
import hashlib
import json
import logging
import time
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from redis.exceptions import RedisError

from core.canonical import canonical_json
from core.jsonlimits import check_depth
from core.webhooks import ReplayGuard
from inboxes.bounce_classes import HARD, UNRECOGNISED, classify_sendgrid_event
from inboxes.bounces import count_against_inbox, record_bounce
from inboxes.models import OutboundMessage, Suppression
from inboxes.suppression import suppress
from inboxes.transports import SENDGRID_OUTBOUND_ARG

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"
MAX_SKEW_SECONDS = 600
SEEN_EVENT_SECONDS = 24 * 3600
# What we act on; delivered, open, click, deferred, dropped, processed are only SendGrid's bookkeeping here.
HANDLED_EVENTS = {"bounce", "blocked", "dropped", "spamreport", "unsubscribe", "group_unsubscribe"}
# Fail closed: a bounce or complaint counted twice would pause an inbox early, so without the cache the batch is
# answered 503 and SendGrid retries it.
EVENT_GUARD = ReplayGuard("sendgrid-event", remember_seconds=SEEN_EVENT_SECONDS, fail_open=False)


class Rejected(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def verified_events(request: HttpRequest) -> list[dict[str, Any]]:
    """The batch of events, or ``Rejected`` when it is not from SendGrid, is stale or is not a list of events."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from sendgrid.helpers.eventwebhook import EventWebhook

    public_key = _key_body(settings.SENDGRID_WEBHOOK_PUBLIC_KEY)
    if not public_key:
        raise Rejected(403, "the SendGrid webhook is not configured (SENDGRID_WEBHOOK_PUBLIC_KEY is empty)")
    signature = request.headers.get(SIGNATURE_HEADER, "")
    timestamp = request.headers.get(TIMESTAMP_HEADER, "")
    if not signature or not timestamp:
        raise Rejected(403, f"{SIGNATURE_HEADER} and {TIMESTAMP_HEADER} are required")
    try:
        signed_at = int(timestamp)
    except ValueError:
        raise Rejected(403, "the timestamp is not a Unix time") from None
    if abs(time.time() - signed_at) > MAX_SKEW_SECONDS:
        raise Rejected(403, f"the timestamp is more than {MAX_SKEW_SECONDS // 60} minutes away from now")
    try:
        payload = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected(400, "the body is not UTF-8") from None
    try:
        verifier = EventWebhook(public_key)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        logger.error("SENDGRID_WEBHOOK_PUBLIC_KEY is not a readable public key; every SendGrid event is refused")
        raise Rejected(403, "the webhook verification key is misconfigured") from None
    try:
        valid = verifier.verify_signature(payload, signature, timestamp)
    except (binascii.Error, ValueError, TypeError):
        valid = False
    if not valid:
        raise Rejected(403, "the signature does not match")
    # Only now, on a batch known to be SendGrid's: a forged one is refused for its signature, whatever its shape.
    try:
        check_depth(request.body, settings.REX_MAX_JSON_DEPTH)
    except ValueError as exc:
        raise Rejected(400, f"{exc} (the limit)") from None
    try:
        events = json.loads(payload)
    except ValueError:
        raise Rejected(400, "the body is not JSON") from None
    if not isinstance(events, list) or not all(isinstance(event, dict) for event in events):
        raise Rejected(400, "the body is not a list of events")
    return events


def _key_body(key: str) -> str:
    """The base64 body SendGrid shows; a key pasted as a whole PEM block is accepted too (the SDK adds the armour)."""
    lines = [line.strip() for line in (key or "").strip().splitlines()]
    return "".join(line for line in lines if line and not line.startswith("-----"))


@csrf_exempt
@require_POST
def sendgrid_webhook(request: HttpRequest) -> JsonResponse:
    try:
        events = verified_events(request)
    except Rejected as exc:
        return JsonResponse({"error": exc.message}, status=exc.status)
    counts = {"handled": 0, "duplicate": 0, "ignored": 0}
    try:
        for event in events:
            counts[handle_event(event)] += 1
    except RedisError:
        logger.warning("cannot record SendGrid events (cache unavailable); asking SendGrid to retry", exc_info=True)
        return JsonResponse({"error": "temporarily unavailable", **counts}, status=503)
    return JsonResponse(counts)


def handle_event(event: dict[str, Any]) -> str:
    """Act on one event once: "handled", "duplicate" (seen before) or "ignored" (not ours, or nothing to do)."""
    kind = str(event.get("event", ""))
    if kind not in HANDLED_EVENTS:
        return "ignored"
    message = find_message(event)
    if message is None:
        logger.info("SendGrid %s event %s names no message of ours", kind, event.get("sg_event_id", ""))
        return "ignored"

    event_id = replay_key(event)
    if not EVENT_GUARD.first_delivery(event_id):
        return "duplicate"
    with EVENT_GUARD.forgotten_on_error(event_id), transaction.atomic():
        apply_event(kind, message, event)
    return "handled"


def replay_key(event: dict[str, Any]) -> str:
    """What tells a redelivered event: its ``sg_event_id`` or, without one, a hash of the whole event.

    A redelivery repeats the event as it was (timestamp included), so two events with the same canonical JSON are
    one event delivered twice; two real events differ at least in their timestamp or message.
    """
    event_id = str(event.get("sg_event_id", ""))
    if event_id:
        return event_id
    return "sha256:" + hashlib.sha256(canonical_json(event).encode()).hexdigest()


def find_message(event: dict[str, Any]) -> OutboundMessage | None:
    messages = OutboundMessage.objects.select_related("organization", "inbox", "contact")
    ours = str(event.get(SENDGRID_OUTBOUND_ARG, ""))
    if ours:
        try:
            found = messages.filter(pk=uuid.UUID(ours)).first()
        except ValueError:
            found = None
        if found is not None:
            return found
    sg_message_id = str(event.get("sg_message_id", ""))
    provider_id = sg_message_id.split(".", 1)[0]
    if provider_id:
        return messages.filter(provider_message_id=provider_id).first()
    return None


def apply_event(kind: str, message: OutboundMessage, event: dict[str, Any]) -> None:
    organization = message.organization
    email = str(event.get("email", "")) or message.to_address
    source = f"sendgrid {kind} {event.get('sg_event_id', '')}".strip()
    if kind in ("bounce", "blocked", "dropped"):
        # Classified like every bounce REX learns of (inboxes.bounces): a dead address is suppressed (its email, not
        # the contact's phone); a "blocked" refusal or the receiver's verdict on the sender never blames the contact.
        klass, reason = classify_sendgrid_event(event)
        if kind == "bounce" and str(event.get("type", "bounce")) == "bounce" and reason.startswith(UNRECOGNISED):
            # SendGrid reports a "bounce" only for a permanent refusal and suppresses the address itself.
            klass = HARD
        record_bounce(organization, klass=klass, recipient=email, status=str(event.get("status", "")), reason=reason,
                      message=message, source=source)
    elif kind == "spamreport":
        suppress(organization, email=email, contact=message.contact, reason=Suppression.Reason.COMPLAINT,
                 source=source)
        count_against_inbox(message, complaints=1)
    else:
        suppress(organization, email=email, contact=message.contact, reason=Suppression.Reason.UNSUBSCRIBE,
                 source=source)
