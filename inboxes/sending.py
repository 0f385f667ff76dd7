"""Sending one cold email: compliant, within the caps, and never twice.

``send_email`` follows one order of operations, each step committed before the next (see docs/sending.md):

1. A message with this idempotency key already exists: ``sent``, ``suppressed`` and ``sending`` are returned
   untouched (``sending`` means an earlier attempt handed it to the provider and its outcome is unknown: it
   is never sent again); a ``pending`` one (slot taken, never handed over) is sent now; a ``failed`` one is
   tried again only if its error was recoverable, with a new slot.
2. The recipient is suppressed: a ``suppressed`` row is stored, no slot is taken.
3. The row is written (``pending``, unique key) and the inbox's slot reserved in one transaction. A twin
   that won the race on the key is returned instead; ``CapReached`` propagates and rolls the row back, so the
   next run finds no row and reserves again.
4. The row is marked ``sending`` by a conditional update (only one caller can win it) that commits before the
   transport is called: whatever happens next, no later run sends this key again.
5. The transport sends. ``sent`` with the provider's id, or ``failed`` with the error (the slot is given back:
   the message never went out), or, when the provider may have accepted it (a connection lost after the
   content was handed over), it stays ``sending`` with the error noted, and keeps its slot.

Call it outside a transaction: steps 4 and 5 must commit on their own to protect against a crash mid-send.
A failure is recorded, then raised as ``TransportError`` (``recoverable`` says whether a retry may help).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from email.headerregistry import Address
from email.utils import make_msgid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from inboxes.models import Inbox, OutboundMessage
from inboxes.suppression import is_suppressed
from inboxes.transports import OUTBOUND_ID_HEADER, TransportError, transport_for
from inboxes.unsubscribe import check_public_base_url, unsubscribe_url

if TYPE_CHECKING:
    from campaigns.models import Campaign, Contact
    from missions.models import Mission
    from tenants.models import Organization

logger = logging.getLogger(__name__)

Status = OutboundMessage.Status
# A failed message's error starts with one of these, so a later run knows whether it may try again.
RECOVERABLE = "recoverable: "
PERMANENT = "permanent: "
OUTCOME_UNKNOWN = "outcome unknown: "
# (filename, content, mimetype) of a file sent with an email: an invitation's invite.ics.
Attachment = tuple[str, bytes, str]


def failure_is_recoverable(message: OutboundMessage) -> bool:
    """Whether a ``failed`` message may be tried again (its error was a 4xx, a timeout, a refused connection)."""
    return message.status == Status.FAILED and message.error.startswith(RECOVERABLE)


def send_email(*, organization: Organization, inbox: Inbox, to: str, subject: str, body: str, idempotency_key: str,
               campaign: Campaign | None = None, contact: Contact | None = None,
               mission: Mission | None = None, in_reply_to: str = "", references: str = "",
               attachments: Sequence[Attachment] = ()) -> OutboundMessage:
    """Send one email from ``inbox`` to ``to`` at most once for ``idempotency_key`` (see the module docstring).

    ``attachments`` are ``(filename, content, mimetype)``; a ``text/calendar`` one is also the message's calendar
    alternative, which is how mail clients recognise an invitation (RFC 6047). A retry must pass the same ones.

    ``in_reply_to`` and ``references`` (Message-IDs) thread a follow-up under the emails before it; they are
    stored with the key, so a retry sends exactly the same headers.

    Raises ValueError for a request that must never be sent as it is (no postal address, an http unsubscribe
    base URL, a bad recipient, objects of another organization, a key already used for another recipient),
    ``inboxes.caps.CapReached`` when the inbox or its domain has no slot left today, and ``TransportError``
    after recording a failed send.
    """
    to = to.strip()
    _check_request(organization, inbox, to, idempotency_key, campaign, contact)

    existing = OutboundMessage.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _resume(existing, organization=organization, inbox=inbox, to=to, subject=subject, body=body,
                       contact=contact, mission=mission, attachments=attachments)

    if _recipient_suppressed(organization, to, contact):
        try:
            with transaction.atomic():
                return OutboundMessage.objects.create(
                    organization=organization, inbox=inbox, campaign=campaign, contact=contact, mission=mission,
                    idempotency_key=idempotency_key, to_address=to, subject=subject[:300], status=Status.SUPPRESSED)
        except IntegrityError:
            return OutboundMessage.objects.get(idempotency_key=idempotency_key)

    _check_compliance(organization)
    transport = transport_for(inbox)
    # Durable: the key and the slot must be committed before the transport is called (a crash after the send
    # must find them), which only holds when this is the outermost transaction; a caller's transaction around
    # it would hold them back and is refused.
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                message = OutboundMessage.objects.create(
                    organization=organization, inbox=inbox, campaign=campaign, contact=contact, mission=mission,
                    idempotency_key=idempotency_key, to_address=to, subject=subject[:300], status=Status.PENDING,
                    transport=transport.name, message_id=make_msgid(domain=inbox.domain.name),
                    in_reply_to=in_reply_to[:300], references=references)
        except IntegrityError:
            # A concurrent twin stored the key first (its transaction has committed): it owns this send.
            return OutboundMessage.objects.get(idempotency_key=idempotency_key)
        # CapReached propagates from here and rolls the row back with the block: no row, no slot.
        message.slot_day = inbox.reserve_send()
        message.save(update_fields=["slot_day", "updated_at"])
    return _deliver(message, inbox=inbox, subject=subject, body=body, contact=contact, mission=mission,
                    attachments=attachments)


# --- checks ---------------------------------------------------------------------------------------------------------

def _check_request(organization: Organization, inbox: Inbox, to: str, idempotency_key: str,
                   campaign: Campaign | None, contact: Contact | None) -> None:
    if not idempotency_key or len(idempotency_key) > 128:
        raise ValueError("an idempotency key of 1 to 128 characters is required")
    try:
        validate_email(to)
    except ValidationError as exc:
        raise ValueError(f"{to!r} is not an email address") from exc
    if inbox.organization_id != organization.pk:
        raise ValueError(f"inbox {inbox.address} belongs to another organization")
    if campaign is not None and campaign.organization_id != organization.pk:
        raise ValueError(f"campaign {campaign.slug} belongs to another organization")
    if contact is not None and contact.organization_id != organization.pk:
        raise ValueError("the contact belongs to another organization")


def _check_compliance(organization: Organization) -> None:
    """What every cold email must carry; checked before a slot is taken or anything is sent."""
    if not organization.postal_address.strip():
        raise ValueError(f"organization {organization.slug} has no postal address; every cold email must carry "
                         "the sender's postal address (CAN-SPAM), so nothing is sent until one is set")
    check_public_base_url()


def _recipient_suppressed(organization: Organization, to: str, contact: Contact | None) -> bool:
    if is_suppressed(organization, email=to):
        return True
    return contact is not None and is_suppressed(organization, email=contact.email, phone=contact.phone)


# --- an existing key ------------------------------------------------------------------------------------------------

def _resume(message: OutboundMessage, *, organization: Organization, inbox: Inbox, to: str, subject: str, body: str,
            contact: Contact | None, mission: Mission | None, attachments: Sequence[Attachment] = ()) -> OutboundMessage:
    if message.organization_id != organization.pk:
        raise ValueError("this idempotency key is already used by another organization")
    if message.to_address.lower() != to.lower():
        raise ValueError(f"idempotency key {message.idempotency_key} was used for another recipient; "
                         "a key stands for one message to one person")
    if message.status in (Status.SENT, Status.SUPPRESSED, Status.SENDING):
        return message
    if message.status == Status.FAILED and not failure_is_recoverable(message):
        return message

    if _recipient_suppressed(organization, to, contact):
        return _suppress_unsent(message)
    _check_compliance(organization)

    if message.status == Status.FAILED:
        with transaction.atomic():
            # Only one run may revive a failed message; the others see it pending or further and leave it.
            revived = OutboundMessage.objects.filter(pk=message.pk, status=Status.FAILED).update(
                status=Status.PENDING, error="", inbox=inbox, transport=transport_for(inbox).name,
                message_id=make_msgid(domain=inbox.domain.name), updated_at=timezone.now())
            if not revived:
                message.refresh_from_db()
                return message
            # CapReached rolls the revival back: the message stays failed (recoverable) for a later run.
            day = inbox.reserve_send()
            OutboundMessage.objects.filter(pk=message.pk).update(slot_day=day)
        message.refresh_from_db()
    else:
        # A pending row's slot was taken on its own inbox: it is sent from there.
        inbox = Inbox.objects.select_related("domain").get(pk=message.inbox_id)
    return _deliver(message, inbox=inbox, subject=subject, body=body, contact=contact, mission=mission,
                    attachments=attachments)


def _suppress_unsent(message: OutboundMessage) -> OutboundMessage:
    """A pending or failed message whose recipient unsubscribed meanwhile: never sent, its slot given back."""
    with transaction.atomic():
        changed = OutboundMessage.objects.filter(pk=message.pk, status__in=(Status.PENDING, Status.FAILED)).update(
            status=Status.SUPPRESSED, slot_day=None, updated_at=timezone.now())
        if changed and message.status == Status.PENDING and message.slot_day and message.inbox_id:
            message.inbox.release_send(message.slot_day)
    message.refresh_from_db()
    return message


# --- the send itself -------------------------------------------------------------------------------------------------

def build_email(message: OutboundMessage, *, inbox: Inbox, subject: str, body: str,
                contact: Contact | None, attachments: Sequence[Attachment] = ()) -> EmailMultiAlternatives:
    """The email as it leaves: sender, Message-ID, RFC 8058 headers, and the footer (unsubscribe link, address)."""
    organization = message.organization
    link = unsubscribe_url(organization, message.to_address, contact)
    campaign_name = message.campaign.from_name if message.campaign_id else ""
    sender = Address(display_name=campaign_name or inbox.display_name, addr_spec=inbox.address)
    context = {"body": body.rstrip(), "unsubscribe_url": link, "organization": organization,
               "postal_address": organization.postal_address.strip()}
    text = render_to_string("inboxes/email_body.txt", context)
    html = render_to_string("inboxes/email_body.html", context)
    headers = {
        "Message-ID": message.message_id,
        # RFC 2369 + RFC 8058: an https URI that unsubscribes on a POST with no cookies and no confirmation.
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        OUTBOUND_ID_HEADER: str(message.pk),
    }
    if message.in_reply_to:
        # RFC 5322 3.6.4: the parent's id, and the thread's ids oldest first, so clients file it in the thread.
        headers["In-Reply-To"] = message.in_reply_to
        headers["References"] = message.references or message.in_reply_to
    outgoing = EmailMultiAlternatives(
        subject=subject, body=text, from_email=str(sender), to=[message.to_address], headers=headers)
    outgoing.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        if mimetype.split(";")[0].strip().lower() == "text/calendar":
            outgoing.attach_alternative(content.decode("utf-8"), mimetype)
        outgoing.attach(filename, content, mimetype.split(";")[0].strip())
    return outgoing


def _deliver(message: OutboundMessage, *, inbox: Inbox, subject: str, body: str, contact: Contact | None,
             mission: Mission | None, attachments: Sequence[Attachment] = ()) -> OutboundMessage:
    outgoing = build_email(message, inbox=inbox, subject=subject, body=body, contact=contact,
                           attachments=attachments)
    transport = transport_for(inbox)
    claim = {"status": Status.SENDING, "error": "", "transport": transport.name, "updated_at": timezone.now()}
    if mission is not None:
        claim["mission"] = mission
    # Committed before the transport is called: from now on no run sends this key again, even if we crash.
    if not OutboundMessage.objects.filter(pk=message.pk, status=Status.PENDING).update(**claim):
        message.refresh_from_db()
        return message

    try:
        provider_id = transport.send(outgoing, inbox)
    except TransportError as exc:
        _record_failure(message, inbox, exc)
        raise
    except Exception as exc:
        # Not a failure the transport understood: whether anything left is unknown, so it is never retried.
        _record_unknown(message, f"{exc.__class__.__name__}: {exc}")
        raise

    OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.SENT, provider_message_id=provider_id[:300], sent_at=timezone.now(), updated_at=timezone.now())
    message.refresh_from_db()
    return message


def _record_failure(message: OutboundMessage, inbox: Inbox, exc: TransportError) -> None:
    if exc.outcome_unknown:
        _record_unknown(message, exc.message)
        return
    prefix = RECOVERABLE if exc.recoverable else PERMANENT
    with transaction.atomic():
        changed = OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
            status=Status.FAILED, error=prefix + exc.message, slot_day=None, updated_at=timezone.now())
        # The provider did not take the message: its slot goes back to today's volume.
        if changed and message.slot_day:
            inbox.release_send(message.slot_day)
    logger.warning("send %s through %s failed (%s): %s", message.pk, inbox.address,
                   "recoverable" if exc.recoverable else "permanent", exc.message)


def _record_unknown(message: OutboundMessage, error: str) -> None:
    OutboundMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
        error=OUTCOME_UNKNOWN + error, updated_at=timezone.now())
    logger.error("send %s: outcome unknown, it will not be sent again: %s", message.pk, error)
