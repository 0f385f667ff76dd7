"""Sending one text: within the sender number's cap and rate, and never twice for one idempotency key.

Twilio has no idempotency header, so the guarantee is built here, in this order, each step committed before the
next (the same order as ``inboxes.sending.send_email``):

1. A row with this key exists: ``sent``, ``suppressed`` and ``failed`` are returned untouched; ``pending`` (slot
   taken, never handed over) is sent now; ``sending`` is *reconciled* (below).
2. The recipient is suppressed: a ``suppressed`` row is stored, no slot is taken.
3. The ``OutboundMessage`` (channel sms, unique key) and its ``SmsMessage`` (sender, body) are written and the
   number's slot reserved, in one transaction; a twin that won the key is returned instead.
4. The row moves ``pending → sending`` by a conditional update that commits before the SDK is called, with the
   attempt's time: only that caller calls Twilio.
5. Twilio answers: ``sent`` with its Message SID; an error answer is ``failed`` (the slot is given back); no
   answer (timeout, connection lost) leaves ``sending``.

Reconciling a ``sending`` row (a worker SIGKILLed mid-call, a lost answer): Twilio's message list is asked for a
message to that number, from that number (or Messaging Service), with that body, created since the attempt. Found:
its SID is stored and the row is ``sent``; nothing is sent again. Not found: only when the attempt is older than
``REX_SMS_RECONCILE_AFTER_SECONDS`` (longer than the SDK's timeout, so no request of that attempt can still be
on its way) is the row claimed again (a conditional update on the attempt time, so one re-run wins) and sent.

The exact guarantee: a key is texted at most once as long as Twilio lists a message it accepted within
``REX_SMS_RECONCILE_AFTER_SECONDS`` of the request; a re-run before then never sends. A text lost before
Twilio accepted it is sent by a later run. Call outside a transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from inboxes.models import OutboundMessage
from inboxes.suppression import is_suppressed
from sms import twilio_api
from sms.models import SenderNumber, SmsMessage

if TYPE_CHECKING:
    from campaigns.models import Campaign, Contact
    from tenants.models import Organization

logger = logging.getLogger(__name__)
Status = OutboundMessage.Status
# Twilio's clock and ours may differ by a little: a message created this long before the attempt still counts.
CLOCK_SKEW = timedelta(seconds=60)


def status_callback_url() -> str:
    return settings.REX_PUBLIC_BASE_URL.rstrip("/") + "/webhook/twilio/status"


def send_sms(*, organization: Organization, sender: SenderNumber, to: str, body: str, idempotency_key: str,
             campaign: Campaign | None = None, contact: Contact | None = None,
             now: datetime | None = None) -> OutboundMessage:
    """Text ``body`` to ``to`` (E.164) from ``sender`` at most once for ``idempotency_key`` (module docstring).

    Raises ``sms.models.SenderRefused`` when the number may not send now (nothing stored).
    """
    now = now or timezone.now()
    existing = OutboundMessage.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return resume(existing, now=now)

    if is_suppressed(organization, email=contact.email if contact else "", phone=to):
        return record_suppressed(organization=organization, to=to, idempotency_key=idempotency_key,
                                 campaign=campaign, contact=contact)

    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                message = OutboundMessage.objects.create(
                    organization=organization, campaign=campaign, contact=contact, idempotency_key=idempotency_key,
                    channel="sms", to_address=to, status=Status.PENDING, transport="twilio",
                    # A Message-ID of its own: an inbound text answering it is matched to it (replies.matching).
                    message_id=make_msgid(domain="sms.rex.invalid"))
                SmsMessage.objects.create(outbound=message, sender=sender, from_number=sender.phone_number,
                                          messaging_service_sid=sender.messaging_service_sid, body=body)
        except IntegrityError:
            return OutboundMessage.objects.get(idempotency_key=idempotency_key)
        # SenderRefused propagates from here and rolls the rows back: no row, no slot, the next run starts over.
        message.slot_day = sender.reserve_send(now=now)
        message.save(update_fields=["slot_day", "updated_at"])
    return _deliver(message, claimed_at=None, now=now)


def record_suppressed(*, organization: Organization, to: str, idempotency_key: str, campaign: Campaign | None,
                      contact: Contact | None) -> OutboundMessage:
    """The text of this key is not sent: its recipient is suppressed (stored, so the sequence sees why)."""
    try:
        with transaction.atomic():
            return OutboundMessage.objects.create(
                organization=organization, campaign=campaign, contact=contact, idempotency_key=idempotency_key,
                channel="sms", to_address=to, status=Status.SUPPRESSED, transport="twilio")
    except IntegrityError:
        return OutboundMessage.objects.get(idempotency_key=idempotency_key)


def resume(message: OutboundMessage, *, now: datetime) -> OutboundMessage:
    if message.status == Status.PENDING:
        return _deliver(message, claimed_at=None, now=now)
    if message.status == Status.SENDING:
        return reconcile(message, now=now)
    return message


def reconcile(message: OutboundMessage, *, now: datetime) -> OutboundMessage:
    """A ``sending`` text whose outcome is unknown: ask Twilio before anything else (module docstring)."""
    sms = SmsMessage.objects.get(outbound=message)
    attempted_at = sms.attempted_at or message.updated_at
    try:
        found = twilio_api.find_sent(to=message.to_address, body=sms.body, from_number=sms.from_number,
                                     messaging_service_sid=sms.messaging_service_sid, since=attempted_at - CLOCK_SKEW)
    except (twilio_api.TwilioException, OSError) as exc:
        logger.warning("text %s: cannot ask Twilio about it (%s); left sending", message.pk, exc)
        return message
    if found is not None:
        _record_sent(message, found, now)
        message.refresh_from_db()
        return message
    if timezone.now() - attempted_at < timedelta(seconds=settings.REX_SMS_RECONCILE_AFTER_SECONDS):
        return message  # its request may still be on its way: only a later run may conclude it never arrived
    return _deliver(message, claimed_at=attempted_at, now=now)


def _deliver(message: OutboundMessage, *, claimed_at: datetime | None, now: datetime) -> OutboundMessage:
    """Claim the attempt (only one caller wins), commit, then call Twilio and record what it answered.

    The attempt is stamped with the wall clock, never the caller's ``now`` (a sequencer's planned instant): it is
    compared with Twilio's own creation times and with the SDK's timeout, which are real time.
    """
    attempt = timezone.now()
    with transaction.atomic():
        if claimed_at is None:
            won = OutboundMessage.objects.filter(pk=message.pk, status=Status.PENDING).update(status=Status.SENDING)
        else:
            won = OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).exists() and \
                SmsMessage.objects.filter(outbound_id=message.pk, attempted_at=claimed_at).update(attempted_at=attempt)
        if won:
            SmsMessage.objects.filter(outbound_id=message.pk).update(attempted_at=attempt,
                                                                     attempts=F("attempts") + 1)
    message.refresh_from_db()
    if not won:
        return message  # another run holds this attempt
    sms = SmsMessage.objects.get(outbound=message)
    try:
        sent = twilio_api.send_text(to=message.to_address, body=sms.body, from_number=sms.from_number,
                                    messaging_service_sid=sms.messaging_service_sid,
                                    status_callback=status_callback_url())
    except twilio_api.TwilioRestException as exc:
        # Twilio answered and refused (an invalid number, a number that opted out at the carrier…): never sent.
        OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
            status=Status.FAILED, error=f"permanent: twilio {exc.status} {exc.code}: {exc.msg}"[:2000])
        SmsMessage.objects.filter(outbound_id=message.pk).update(error_code=str(exc.code or "")[:16])
        if message.slot_day and sms.sender_id:
            SenderNumber(pk=sms.sender_id).release_send(message.slot_day)
    except (twilio_api.TwilioException, OSError) as exc:
        OutboundMessage.objects.filter(pk=message.pk).update(error=f"outcome unknown: {exc}"[:2000])
        logger.warning("text %s: no answer from Twilio (%s); reconciled by the next run", message.pk, exc)
    else:
        _record_sent(message, sent, now)
    message.refresh_from_db()
    return message


def _record_sent(message: OutboundMessage, sent: twilio_api.SentText, now: datetime) -> None:
    with transaction.atomic():
        OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
            status=Status.SENT, provider_message_id=sent.sid, sent_at=now, error="")
        SmsMessage.objects.filter(outbound_id=message.pk, delivery_status="").update(
            delivery_status=sent.status, delivery_updated_at=now)
