"""Builders of what the inbox page shows, written as the sequencer and the IMAP reader store it: a contact's
sequence emails (``OutboundMessage`` + ``SequenceMessage``) and the replies that came back (``InboundMessage``
with the raw bytes of a small email, matched to what they answer)."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from django.utils import timezone

from campaigns.models import Campaign, Contact, Enrollment, SequenceMessage
from inboxes.models import Inbox, OutboundMessage
from replies.models import InboundMessage
from tenants.models import Organization


def raw_email(*, from_address: str, to_address: str, subject: str, body: str, message_id: str,
              in_reply_to: str = "", references: str = "", date: datetime | None = None) -> bytes:
    mail = EmailMessage()
    mail["From"] = from_address
    mail["To"] = to_address
    mail["Subject"] = subject
    mail["Message-ID"] = message_id
    mail["Date"] = format_datetime(date or timezone.now())
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
        mail["References"] = references or in_reply_to
    mail.set_content(body)
    return mail.as_bytes()


def sequence_emails(organization: Organization, *, inbox: Inbox, contact: Contact, campaign: Campaign,
                    subjects: list[str], start: datetime, variant: str = "A") -> tuple[Enrollment, list[OutboundMessage]]:
    """The contact's enrollment and one sent email per subject, a day apart, threaded as the sequencer does."""
    enrollment = Enrollment.objects.create(organization=organization, campaign=campaign, contact=contact,
                                           inbox=inbox, emails_sent=len(subjects))
    sent: list[OutboundMessage] = []
    ids: list[str] = []
    for index, subject in enumerate(subjects):
        at = start + timedelta(days=index)
        message = OutboundMessage.objects.create(
            organization=organization, inbox=inbox, campaign=campaign, contact=contact,
            idempotency_key=f"seq:{enrollment.pk}:{index}", to_address=contact.email, subject=subject,
            status=OutboundMessage.Status.SENT, message_id=make_msgid(domain=inbox.domain.name),
            in_reply_to=ids[-1] if ids else "", references=" ".join(ids), sent_at=at)
        OutboundMessage.objects.filter(pk=message.pk).update(created_at=at)
        SequenceMessage.objects.create(enrollment=enrollment, campaign=campaign, step_index=index * 2,
                                       variant_label=variant if index == 0 else "A", message=message, scheduled_at=at)
        ids.append(message.message_id)
        sent.append(message)
    return enrollment, sent


def inbound(organization: Organization, *, inbox: Inbox | None, from_address: str, subject: str, text: str,
            category: str = "", layer: str = "", confidence: float | None = None,
            answers: OutboundMessage | None = None, contact: Contact | None = None,
            enrollment: Enrollment | None = None, received_at: datetime | None = None, from_name: str = "",
            details: dict[str, Any] | None = None, actions: list[Any] | None = None) -> InboundMessage:
    """A message as the IMAP reader stores it, answering ``answers`` (In-Reply-To and References set)."""
    at = received_at or timezone.now()
    domain = from_address.rsplit("@", 1)[-1]
    message_id = make_msgid(domain=domain)
    in_reply_to = answers.message_id if answers else ""
    references = " ".join(p for p in ((answers.references if answers else ""), in_reply_to) if p)
    to_address = inbox.address if inbox else ""
    return InboundMessage.objects.create(
        organization=organization, inbox=inbox, folder="INBOX",
        raw=raw_email(from_address=from_address, to_address=to_address, subject=subject, body=text,
                      message_id=message_id, in_reply_to=in_reply_to, references=references, date=at),
        message_id=message_id, in_reply_to=in_reply_to, references=references, from_address=from_address,
        from_name=from_name, to_address=to_address, subject=subject, sent_at=at, received_at=at, body_text=text,
        new_text=text, outbound=answers, contact=contact, enrollment=enrollment,
        match="in_reply_to" if answers else "", category=category, layer=layer, confidence=confidence,
        details=details or {}, triaged_at=at if category else None, actions=actions or [])


class Seeded:
    """What ``seed_inbox`` made, by name."""

    def __init__(self, **items: Any) -> None:
        self.__dict__.update(items)


def seed_inbox(organization: Organization, first: Inbox, second: Inbox) -> Seeded:
    """Four replies across two inboxes and one campaign, as the inbox page shows them (newest first):

    - ``lost``: needs review, nothing matched (first inbox, 10 minutes ago);
    - ``carol``: out of office until a date, answering step 1 (second inbox, 2 hours ago);
    - ``bounce``: a hard bounce of step 1 to dave (first inbox, 5 hours ago);
    - ``bob``: interested, answering step 2 (first inbox, a day ago) after his two sequence emails.
    """
    now = timezone.now()
    campaign = Campaign.objects.create(organization=organization, name="Autumn outreach",
                                       status=Campaign.Status.ACTIVE, from_name="Jane at Acme")
    bob_contact = Contact.objects.create(organization=organization, email="bob@client.example", first_name="Bob",
                                         last_name="Stone", company="Client Co")
    carol_contact = Contact.objects.create(organization=organization, email="carol@other.example", first_name="Carol")
    dave_contact = Contact.objects.create(organization=organization, email="dave@gone.example", first_name="Dave")
    bob_enrollment, bob_sent = sequence_emails(
        organization, inbox=first, contact=bob_contact, campaign=campaign, start=now - timedelta(days=4),
        subjects=["Quick question, Bob", "Re: Quick question, Bob"], variant="B")
    carol_enrollment, carol_sent = sequence_emails(
        organization, inbox=second, contact=carol_contact, campaign=campaign, start=now - timedelta(days=1),
        subjects=["Quick question, Carol"])
    dave_enrollment, dave_sent = sequence_emails(
        organization, inbox=first, contact=dave_contact, campaign=campaign, start=now - timedelta(days=1),
        subjects=["Quick question, Dave"])
    bob = inbound(organization, inbox=first, from_address="bob@client.example", from_name="Bob Stone",
                  subject="Re: Quick question, Bob", text="Sounds good, can we talk Thursday?",
                  category="interested", layer="rules", confidence=0.92, answers=bob_sent[1], contact=bob_contact,
                  enrollment=bob_enrollment, received_at=now - timedelta(days=1),
                  details={"reason": "asks for a meeting"},
                  actions=[{"kind": "stopped", "text": "stopped the sequence (the contact replied)"}])
    bounce = inbound(organization, inbox=first, from_address="mailer-daemon@gone.example",
                     subject="Undelivered Mail Returned to Sender", text="550 5.1.1 <dave@gone.example>: no such user",
                     category="bounce", layer="rules", confidence=1.0, answers=dave_sent[0], contact=dave_contact,
                     enrollment=dave_enrollment, received_at=now - timedelta(hours=5),
                     details={"bounce": {"class": "hard", "recipient": "dave@gone.example", "status": "5.1.1",
                                         "reason": "no such user"}})
    carol = inbound(organization, inbox=second, from_address="carol@other.example", from_name="Carol",
                    subject="Automatic reply: Quick question, Carol", text="I am away until 12 January.",
                    category="out_of_office", layer="rules", confidence=0.99, answers=carol_sent[0],
                    contact=carol_contact, enrollment=carol_enrollment, received_at=now - timedelta(hours=2),
                    details={"return_date": "2027-01-12"})
    lost = inbound(organization, inbox=first, from_address="someone@unknown.example", subject="Hello?",
                   text="Who is this? Please explain.", category="needs_review", layer="review", confidence=0.4,
                   received_at=now - timedelta(minutes=10))
    return Seeded(campaign=campaign, bob=bob, bounce=bounce, carol=carol, lost=lost, bob_sent=bob_sent,
                  bob_contact=bob_contact, bob_enrollment=bob_enrollment, first=first, second=second)
