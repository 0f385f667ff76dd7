"""Building SendGrid events for a message we sent (shared by the webhook tests)."""

import time
import uuid

from inboxes.models import OutboundMessage


def sent_message(sender, inbox, to: str, *, contact=None, key: str | None = None) -> OutboundMessage:
    """A message as the SendGrid transport leaves it: sent, with SendGrid's X-Message-Id and its slot day."""
    return OutboundMessage.objects.create(
        organization=sender, inbox=inbox, contact=contact, idempotency_key=key or uuid.uuid4().hex, to_address=to,
        status=OutboundMessage.Status.SENT, transport="sendgrid", provider_message_id=uuid.uuid4().hex[:22],
        slot_day=inbox.local_today())


def event(kind: str, message: OutboundMessage, *, by: str = "custom_arg", **extra) -> dict:
    data = {"email": message.to_address, "timestamp": int(time.time()), "event": kind,
            "sg_event_id": uuid.uuid4().hex, "sg_message_id": f"{message.provider_message_id}.filterdrecv-1-2-3.0"}
    if by == "custom_arg":
        data["rex_outbound_id"] = str(message.pk)
    data.update(extra)
    return data
