"""The channel senders a sequence step may use besides email: apps above campaigns register theirs here.

The sequencer sends email steps itself (``inboxes.sending``). A step on another channel (``SequenceStep.channel``,
e.g. "sms") is handed to the sender registered under that channel's name in ``AppConfig.ready`` (the ``sms`` app
registers "sms"); campaigns never imports the app that sends it, it only knows this contract.

A sender is called outside any transaction (it must commit its idempotency row before it calls its provider, like
``inboxes.sending.send_email``) with the enrollment, the step, the variant and the key of that enrollment's step,
and answers a ``ChannelOutcome``:

- ``message``: the ``OutboundMessage`` of that key (sent, sending, pending, failed or suppressed); the sequencer
  moves the enrollment on exactly as after an email;
- ``retry_at`` and ``reason``: not sent now and nothing stored; the step is due again then (quiet hours, a sender
  number's cap or rate);
- ``skip_reason``: will never be sent to this contact (no consent, no phone, no zone known); the step is skipped,
  the reason recorded on the enrollment and its audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from core.registry import Registry

if TYPE_CHECKING:
    from campaigns.models import Enrollment, SequenceStep, StepVariant
    from inboxes.models import OutboundMessage


@dataclass(frozen=True)
class ChannelOutcome:
    message: OutboundMessage | None = None
    retry_at: datetime | None = None
    reason: str = ""
    skip_reason: str = ""


# Called as sender(enrollment, step, variant, now=..., idempotency_key=...).
ChannelSender = Callable[..., ChannelOutcome]
CHANNEL_SENDERS: Registry[ChannelSender] = Registry("sequence channel sender")


def register_channel_sender(channel: str, sender: ChannelSender) -> None:
    CHANNEL_SENDERS.register(channel, sender)


def channel_sender(channel: str) -> ChannelSender | None:
    """The sender registered for ``channel``, or None (the app that sends it is not installed)."""
    return CHANNEL_SENDERS[channel] if channel in CHANNEL_SENDERS else None


def send_on_channel(channel: str, enrollment: Enrollment, step: SequenceStep, variant: StepVariant, *,
                    now: datetime, idempotency_key: str) -> ChannelOutcome:
    sender = channel_sender(channel)
    if sender is None:
        return ChannelOutcome(retry_at=None, skip_reason=f"no sender is installed for the {channel} channel")
    return sender(enrollment, step, variant, now=now, idempotency_key=idempotency_key)
