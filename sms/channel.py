"""The SMS channel of sequences: what the sequencer calls for an SMS step (registered in ``SmsConfig.ready``).

The gate (``sms.consent``) first, then a sender number of the organization (an active one with a slot and a turn
of its rate; one in the recipient's country first), then ``sms.sending.send_sms`` with the step's key. A key that
already has a row skips the gate's "never" answers only once the text was handed over (``sending`` or later): a
text Twilio may already hold is reconciled, never re-decided.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from campaigns.channels import ChannelOutcome
from campaigns.models import Enrollment, SequenceStep, StepVariant
from campaigns.sequencing import render_step
from inboxes.models import OutboundMessage
from sms import consent
from sms.models import SenderNumber, SenderRefused
from sms.numbers import country_of
from sms.sending import record_suppressed, resume, send_sms

# How many times one text waits for its sender number's next second before trying the next number.
RATE_WAITS = 3
HANDED_OVER = (OutboundMessage.Status.SENDING, OutboundMessage.Status.SENT, OutboundMessage.Status.FAILED,
               OutboundMessage.Status.SUPPRESSED)


def send_sms_step(enrollment: Enrollment, step: SequenceStep, variant: StepVariant, *, now: datetime,
                  idempotency_key: str) -> ChannelOutcome:
    existing = OutboundMessage.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None and existing.status in HANDED_OVER:
        return _outcome(resume(existing, now=now), now)
    if not settings.TWILIO_ACCOUNT_SID or not settings.TWILIO_AUTH_TOKEN:
        return ChannelOutcome(retry_at=now + timedelta(hours=1),
                              reason="SMS is not configured: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN")
    contact = enrollment.contact
    verdict = consent.check(contact, now)
    if verdict.suppressed:
        return ChannelOutcome(message=record_suppressed(
            organization=enrollment.campaign.organization, to=verdict.phone or contact.phone,
            idempotency_key=idempotency_key, campaign=enrollment.campaign, contact=contact))
    if verdict.never:
        return ChannelOutcome(skip_reason=verdict.never)
    if verdict.wait_until:
        return ChannelOutcome(retry_at=verdict.wait_until, reason=verdict.wait_reason)
    body = render_step(step, variant, contact, thread_subject="", sender_name=enrollment.campaign.from_name).body
    senders = _senders_for(enrollment, verdict.phone)
    if not senders:
        return ChannelOutcome(retry_at=now + timedelta(hours=1),
                              reason=f"organization {enrollment.organization_id} has no SMS sender number: add one")
    refusals: list[SenderRefused] = []
    for sender in senders:
        for _ in range(RATE_WAITS + 1):
            try:
                message = send_sms(organization=enrollment.campaign.organization, sender=sender, to=verdict.phone,
                                   body=body, idempotency_key=idempotency_key, campaign=enrollment.campaign,
                                   contact=contact, now=now)
            except SenderRefused as exc:
                if exc.scope == "rate" and exc.retry_at is not None and _wait_for(exc.retry_at):
                    continue  # the number's next second: a send task paces itself rather than defer a minute
                refusals.append(exc)
                break
            return _outcome(message, now)
    soonest = min((r.retry_at for r in refusals if r.retry_at), default=None)
    return ChannelOutcome(retry_at=soonest or now + timedelta(hours=1),
                          reason="; ".join(r.message for r in refusals)[:500])


def _wait_for(instant: datetime) -> bool:
    """Sleep until ``instant`` when it is at most a second and a half away (a rate's next second)."""
    delay = (instant - timezone.now()).total_seconds()
    if delay > 1.5:
        return False
    time.sleep(max(delay, 0))
    return True


def _outcome(message: OutboundMessage, now: datetime) -> ChannelOutcome:
    if message.status in (OutboundMessage.Status.SENDING, OutboundMessage.Status.PENDING):
        # Outcome unknown (or a twin holds it): the step stays where it is, and the next run reconciles.
        return ChannelOutcome(retry_at=now + timedelta(seconds=settings.REX_SMS_RECONCILE_AFTER_SECONDS),
                              reason="the text's outcome is not known yet; Twilio is asked again")
    return ChannelOutcome(message=message)


def _senders_for(enrollment: Enrollment, phone: str) -> list[SenderNumber]:
    country = country_of(phone)
    # Every number, paused and unregistered ones too: their refusal is the reason reported when none may send.
    numbers = list(SenderNumber.objects.filter(organization_id=enrollment.organization_id).order_by("pk"))
    # A number of the recipient's own country first (local numbers are answered, and cost less).
    return sorted(numbers, key=lambda n: country_of(n.phone_number) != country)
