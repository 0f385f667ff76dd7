"""What an incoming text does (``POST /webhook/twilio/inbound``, after its signature was verified).

- STOP, STOPALL, UNSUBSCRIBE, END, QUIT, CANCEL, REVOKE, OPTOUT (the whole text, any case): the sender's number
  and every contact with it (their email too) are suppressed on every channel at once
  (``inboxes.suppression.suppress``; its listener ends their sequences ``unsubscribed``);
- START, UNSTOP, YES: the SMS opt-out of that number is lifted, and only it (the email suppression a STOP also
  made stays, and so does a phone suppressed for any other reason);
- HELP: the help text is the answer (TwiML);
- anything else: an ``InboundMessage`` (channel sms) answering the last text REX sent that number, triaged by the
  replies pipeline like an email reply (after commit, on a worker), and the contact's sequences stop at once.

Each MessageSid is acted on once (``TwilioEvent``): a replayed or redelivered webhook does nothing again.
"""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import format_datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campaigns.models import Contact, Enrollment
from inboxes.addresses import digest
from inboxes.models import OutboundMessage, Suppression
from inboxes.suppression import sms_stop_keyword, suppress
from live.publish import after_commit
from replies.matching import OPEN_STATES
from replies.models import InboundMessage
from rex_project.celery import app as celery_app
from sms.models import SenderNumber, TwilioEvent
from sms.numbers import to_e164

logger = logging.getLogger(__name__)

START_KEYWORDS = frozenset({"START", "UNSTOP", "YES"})
HELP_KEYWORDS = frozenset({"HELP", "INFO"})
PROCESS_TASK = "sms.process_inbound_text"


def keyword(text: str) -> str:
    return "".join(ch for ch in (text or "").strip() if ch.isalnum()).upper()


def handle_inbound(params: dict[str, str]) -> str:
    """Act on one incoming text once; returns the text to answer with ("" for none)."""
    sid, sender_phone = params.get("MessageSid", ""), to_e164(params.get("From", "")) or params.get("From", "")
    number = (SenderNumber.objects.filter(phone_number=params.get("To", "")).select_related("organization").first()
              or SenderNumber.objects.filter(messaging_service_sid=params.get("MessagingServiceSid") or "-")
              .select_related("organization").first())
    organization = number.organization if number else None
    body = params.get("Body", "")
    with transaction.atomic():
        event = TwilioEvent.first_time(TwilioEvent.Kind.INBOUND, sid, organization=organization)
        if event is None:
            logger.info("incoming text %s already handled (a replay)", sid)
            return ""
        if organization is None:
            event.outcome = f"to {params.get('To', '')!r}: not a sender number of any organization"
            event.save(update_fields=["outcome"])
            return ""
        contacts = list(Contact.objects.filter(organization=organization, phone=sender_phone))
        word = keyword(body)
        answer = ""
        if sms_stop_keyword(body):
            for contact in contacts or [None]:
                suppress(organization, phone=sender_phone, contact=contact, reason=Suppression.Reason.SMS_STOP,
                         source=f"twilio {sid}")
            outcome = f"opt-out ({word}): suppressed on every channel"
        elif word in START_KEYWORDS:
            # Only an SMS opt-out: a phone suppressed for another reason (an email unsubscribe that covered every
            # channel, a complaint, an erasure, ops) stays suppressed.
            lifted, _ = Suppression.objects.filter(organization=organization, phone_hash=digest(sender_phone),
                                                   reason=Suppression.Reason.SMS_STOP).delete()
            outcome = f"opt-in ({word}): SMS opt-out lifted ({lifted} row(s)); email suppression unchanged"
        elif word in HELP_KEYWORDS:
            answer = settings.REX_SMS_HELP_TEXT
            outcome = "help text sent"
        else:
            message = _store_reply(organization, params, sender_phone, body, contacts)
            stopped = _stop_sequences(contacts, sid)
            outcome = f"reply stored as inbound {message.pk}; {stopped} sequence(s) stopped"
        event.outcome = outcome[:300]
        event.save(update_fields=["outcome"])
    logger.info("incoming text %s: %s", sid, outcome)
    return answer


def _store_reply(organization, params: dict[str, str], phone: str, body: str,
                 contacts: list[Contact]) -> InboundMessage:
    answered = (OutboundMessage.objects.filter(organization=organization, channel="sms", to_address=phone)
                .exclude(message_id="").order_by("-created_at").first())
    now = timezone.now()
    # The replies pipeline reads a message as an email: the text is wrapped in one, its own id and the id of
    # the text it answers as Message-ID / In-Reply-To, so matching finds the enrollment as for an email reply.
    mail = EmailMessage()
    mail["From"] = f"{phone} <sms@sms.rex.invalid>"
    mail["To"] = params.get("To", "")
    mail["Subject"] = "SMS"
    mail["Date"] = format_datetime(now)
    mail["Message-ID"] = f"<{params.get('MessageSid', '')}@twilio.sms.rex.invalid>"
    if answered is not None:
        mail["In-Reply-To"] = answered.message_id
    mail.set_content(body)
    message = InboundMessage.objects.create(
        organization=organization, channel="sms", raw=mail.as_bytes(), message_id=mail["Message-ID"],
        in_reply_to=answered.message_id if answered else "", from_address=phone, to_address=params.get("To", ""),
        subject="SMS", sent_at=now, received_at=now, body_text=body, new_text=body,
        contact=contacts[0] if contacts else None)
    after_commit(_processor(message.pk))
    return message


def _processor(message_id: int):
    def send() -> None:
        celery_app.send_task(PROCESS_TASK, args=[[message_id]], queue=settings.REX_SEQUENCER_SEND_QUEUE)
    send.__qualname__ = "sms.process_inbound_text"
    return send


def _stop_sequences(contacts: list[Contact], sid: str) -> int:
    """A person who texts back is answered by a person: their sequences stop now, whatever the triage says."""
    stopped = 0
    for enrollment in Enrollment.objects.filter(contact__in=contacts, state__in=OPEN_STATES):
        stopped += enrollment.stop_on_reply(reason=f"the contact texted back (twilio {sid})")
    return stopped
