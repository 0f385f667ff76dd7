"""Everything REX holds about one person, found by their email address: exported (GDPR Art. 15) or erased (Art. 17).

Where a person's data lives is declared once, in ``PERSONAL_ROWS`` (rows that are the person's own: their contact,
the messages to and from them) and ``MENTIONS`` (free text and JSON anywhere in the organization that may quote
their address: audit logs, LLM payloads, mission params, triage details, other contacts' custom fields). Export
and erasure walk the same declarations, so whatever one finds the other removes.

Erasure keeps the aggregates: rows stay (a campaign's figures per step still count the send, the bounce, the
reply's category); only their personal values are blanked, and every quote of the address or phone number is
replaced by ``[erased]``. The suppression outlives the person as digests (``inboxes.addresses``): sending to the
address, importing it or enrolling it again is refused, and nobody can read whose it was.

``check_*`` reads and refuses, ``do_*`` writes and audits, as in the rest of REX.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Cast
from django.utils import timezone

from agents.models import AgentLog, LLMRequest
from campaigns.models import Contact, Enrollment, EnrollmentTransition
from inboxes.addresses import email_digest, normalize_email, normalize_phone, phone_digest
from inboxes.models import BounceRecord, OutboundMessage, Suppression
from inboxes.suppression import suppress
from missions.models import CommandDecision, Mission, MissionEvent
from replies.models import InboundMessage, SentReply
from sms.models import SmsMessage
from tenants.models import Organization

ERASED = "[erased]"
AUDIT_AGENT = "privacy"


class PersonNotFound(LookupError):
    """REX holds nothing about this address in the organization (no contact, message, suppression or mention)."""


@dataclass(frozen=True)
class Mentions:
    """Columns of a model that may quote a person's address, and the path from its rows to their organization."""

    model: type[models.Model]
    organization_path: str
    fields: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label


# Free text and JSON that may quote anyone's address. A new column that can hold a person's address is added here,
# and privacy/tests/test_an_erased_persons_address_appears_nowhere_in_the_database.py fails until it is.
MENTIONS: tuple[Mentions, ...] = (
    Mentions(Contact, "organization", ("source", "custom_fields")),
    Mentions(EnrollmentTransition, "enrollment__organization", ("reason",)),
    Mentions(Enrollment, "organization", ("thread_subject",)),
    Mentions(OutboundMessage, "organization", ("to_address", "subject", "error")),
    Mentions(BounceRecord, "organization", ("recipient", "reason", "source")),
    Mentions(Suppression, "organization", ("source",)),
    Mentions(InboundMessage, "organization", ("from_address", "from_name", "to_address", "subject", "body_text",
                                               "new_text", "details", "actions")),
    Mentions(SentReply, "inbound__organization", ("body",)),
    Mentions(SmsMessage, "outbound__organization", ("body",)),
    Mentions(AgentLog, "organization", ("payload",)),
    Mentions(LLMRequest, "organization", ("messages_as_sent", "pseudonyms", "raw_answer", "answer", "error")),
    Mentions(Mission, "organization", ("params", "result", "error")),
    Mentions(MissionEvent, "mission__organization", ("message", "data")),
    Mentions(CommandDecision, "organization", ("text", "payload", "summary", "error")),
)


@dataclass
class Person:
    """One person in one organization: their address, phone and contact (if REX has one), and how to spot them."""

    organization: Organization
    email: str
    phones: list[str]
    contact: Contact | None

    @property
    def needles(self) -> list[str]:
        """What a quote of this person looks like: the address, and the phone as stored and in E.164."""
        return [value for value in dict.fromkeys([self.email, *self.phones]) if value]

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(re.escape(n) for n in sorted(self.needles, key=len, reverse=True)), re.IGNORECASE)

    def suppressions(self) -> models.QuerySet[Suppression]:
        query = Q(email_hash=email_digest(self.email))
        for phone in self.phones:
            query |= Q(phone_hash=phone_digest(phone))
        return Suppression.objects.filter(query, organization=self.organization)

    def outbound(self) -> models.QuerySet[OutboundMessage]:
        query = Q(to_address__iexact=self.email) | Q(to_address__in=self.phones)
        if self.contact is not None:
            query |= Q(contact=self.contact)
        return OutboundMessage.objects.filter(query, organization=self.organization)

    def inbound(self) -> models.QuerySet[InboundMessage]:
        query = Q(from_address__iexact=self.email) | Q(from_address__in=self.phones)
        if self.contact is not None:
            query |= Q(contact=self.contact)
        return InboundMessage.objects.filter(query, organization=self.organization)

    def bounces(self) -> models.QuerySet[BounceRecord]:
        return BounceRecord.objects.filter(Q(recipient__iexact=self.email) | Q(message__in=self.outbound()),
                                           organization=self.organization)

    def mentions(self, where: Mentions) -> models.QuerySet:
        query = Q()
        for name in where.fields:
            for needle in self.needles:
                query |= Q(**{f"{name}__icontains": needle})
        return where.model._default_manager.filter(query, **{where.organization_path: self.organization})


def check_person(organization: Organization, email: str) -> Person:
    """The person with this address in the organization; ``PersonNotFound`` when REX holds nothing about it."""
    email = normalize_email(email)
    if not email or "@" not in email:
        raise ValueError(f"{email!r} is not an email address")
    contact = Contact.objects.filter(organization=organization, email=email).first()
    phones = []
    if contact is not None and contact.phone:
        phones = list(dict.fromkeys([contact.phone, normalize_phone(contact.phone)]))
    person = Person(organization, email, phones, contact)
    found = (contact is not None or person.suppressions().exists() or person.outbound().exists()
             or person.inbound().exists() or any(person.mentions(where).exists() for where in MENTIONS))
    if not found:
        raise PersonNotFound(f"REX holds nothing about {email} in {organization.slug}")
    return person


# --- export ----------------------------------------------------------------------------------------------------------

def _row(instance: models.Model, names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": instance.pk}
    for name in names:
        value = getattr(instance, name)
        data[name] = value.pk if isinstance(value, models.Model) else value
    return data


def export_person(person: Person) -> dict[str, Any]:
    """Everything REX holds about the person, as JSON-ready data (datetimes left to the encoder)."""
    contact = person.contact
    enrollments = Enrollment.objects.filter(contact=contact) if contact is not None else Enrollment.objects.none()
    outbound = list(person.outbound().select_related("campaign"))
    inbound = list(person.inbound())
    bounces = list(person.bounces())
    suppressions = list(person.suppressions())
    # Rows already exported as the person's own, left out of "mentions".
    own: dict[type[models.Model], list[Any]] = {
        Contact: [contact.pk] if contact is not None else [], OutboundMessage: [m.pk for m in outbound],
        InboundMessage: [m.pk for m in inbound], BounceRecord: [b.pk for b in bounces],
        Suppression: [row.pk for row in suppressions], Enrollment: [e.pk for e in enrollments],
    }
    return {
        "email": person.email,
        "organization": person.organization.slug,
        "exported_at": timezone.now(),
        "contact": None if contact is None else {
            **_row(contact, ["email", "phone", "first_name", "last_name", "company", "timezone", "custom_fields",
                             "llm_consent", "source", "created_at"]),
            "lists": sorted(contact.lists.values_list("slug", flat=True)),
        },
        "enrollments": [
            {**_row(enrollment, ["state", "step_index", "next_due_at", "thread_subject", "emails_sent"]),
             "campaign": enrollment.campaign.slug,
             "transitions": [_row(t, ["from_state", "to_state", "step_index", "reason", "actor", "at"])
                             for t in enrollment.transitions.order_by("at", "pk")]}
            for enrollment in enrollments.select_related("campaign")
        ],
        "messages_sent": [
            {**_row(message, ["channel", "to_address", "subject", "status", "message_id", "created_at", "sent_at"]),
             "id": str(message.pk), "campaign": message.campaign.slug if message.campaign else None,
             "reply_text": SentReply.objects.filter(message=message).values_list("body", flat=True).first()}
            for message in outbound
        ],
        "messages_received": [
            {**_row(message, ["channel", "from_address", "from_name", "to_address", "subject", "received_at",
                              "body_text", "new_text"]),
             "triage": {"category": message.effective_category, "layer": message.layer,
                        "confidence": message.confidence, "details": message.details, "actions": message.actions}}
            for message in inbound
        ],
        "bounces": [_row(bounce, ["recipient", "klass", "status", "reason", "source", "at"]) for bounce in bounces],
        "suppressions": [_row(row, ["email", "phone", "reason", "source", "created_at", "erased_at"])
                         for row in suppressions],
        # Quotes of the address elsewhere: audit logs, LLM payloads, missions, other people's messages and contacts.
        "mentions": {
            where.label: [{**_row(row, where.fields), "id": str(row.pk)}
                          for row in person.mentions(where).exclude(pk__in=own.get(where.model, []))]
            for where in MENTIONS
        },
    }


def do_export_person(person: Person, *, actor: str) -> dict[str, Any]:
    """``export_person``, audited: who asked, and for which address (as its digest; the log keeps no address)."""
    data = export_person(person)
    _audit(person, "export_contact", actor, {})
    return data


# --- erasure ---------------------------------------------------------------------------------------------------------

@dataclass
class ErasureReport:
    email_sha256: str
    rows: dict[str, int] = field(default_factory=dict)

    def count(self, label: str, n: int) -> None:
        if n:
            self.rows[label] = self.rows.get(label, 0) + n


def _scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, dict):
        return {_scrub(key, pattern): _scrub(item, pattern) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, pattern) for item in value]
    return value


def _scrub_bytes(raw: bytes, person: Person) -> bytes:
    pattern = re.compile(b"|".join(re.escape(n.encode()) for n in person.needles), re.IGNORECASE)
    return pattern.sub(ERASED.encode(), raw)


def do_erase_person(person: Person, *, actor: str) -> ErasureReport:
    """Remove the person's data from contacts, messages, logs and LLM payloads, in one transaction.

    Rows are blanked with ``update()`` rather than deleted or saved: the audit log is append-only through its
    model, and erasure on request is the one reason it is written to (with retention's deletes). The suppression
    is written first (through ``inboxes.suppression.suppress``, so the person's sequences stop with the reason
    "erased") and then loses its plaintext.
    """
    report = ErasureReport(email_sha256=email_digest(person.email))
    now = timezone.now()
    with transaction.atomic():
        # Lock the contact first: a sequencer tick or a reply that takes it waits for the erasure to commit.
        contact = (Contact.objects.select_for_update().filter(pk=person.contact.pk).first()
                   if person.contact is not None else None)
        suppress(person.organization, email=person.email, phone=person.phones[0] if person.phones else "",
                 contact=contact, reason=Suppression.Reason.ERASED, source="erased on request")
        pattern = person.pattern

        outbound_ids = list(person.outbound().values_list("pk", flat=True))
        inbound_ids = list(person.inbound().values_list("pk", flat=True))
        report.count("inboxes.BounceRecord", person.bounces().update(recipient="", reason="", source=""))
        report.count("inboxes.OutboundMessage", OutboundMessage.objects.filter(pk__in=outbound_ids).update(
            to_address="", subject="", error=""))
        report.count("replies.SentReply", SentReply.objects.filter(message_id__in=outbound_ids).update(body=""))
        report.count("replies.InboundMessage", InboundMessage.objects.filter(pk__in=inbound_ids).update(
            raw=b"", from_address="", from_name="", subject="", body_text="", new_text="", details={}))
        report.count("replies.SentReply", SentReply.objects.filter(inbound_id__in=inbound_ids).update(body=""))
        if contact is not None:
            report.count("campaigns.Enrollment", Enrollment.objects.filter(contact=contact).update(thread_subject=""))
            report.count("campaigns.Contact", Contact.objects.filter(pk=contact.pk).update(
                email="", phone="", first_name="", last_name="", company="", timezone="", custom_fields={},
                llm_consent=False, source=f"erased on request {now:%Y-%m-%d}"))
            _scrub_admin_history(Contact, [contact.pk], pattern)

        suppression_ids = list(person.suppressions().values_list("pk", flat=True))
        Suppression.objects.filter(pk__in=suppression_ids).update(email="", phone="", contact=None, erased_at=now)
        _scrub_admin_history(Suppression, suppression_ids, pattern)

        # The raw MIME of other people's messages that quote the person (a referral, a forward, a Cc).
        for message_id, raw in _raw_mentions(person).exclude(pk__in=inbound_ids).values_list("pk", "raw"):
            InboundMessage.objects.filter(pk=message_id).update(raw=_scrub_bytes(bytes(raw), person))
        for where in MENTIONS:
            for row in person.mentions(where):
                changes = {name: _scrub(getattr(row, name), pattern) for name in where.fields}
                where.model._default_manager.filter(pk=row.pk).update(**changes)
                report.count(where.label, 1)
        _audit(person, "erase_contact", actor, {"rows": report.rows})
    return report


def _raw_mentions(person: Person) -> models.QuerySet[InboundMessage]:
    """The organization's inbound messages whose raw bytes contain a needle, ignoring case.

    A BinaryField has no icontains: it is compared as text. PostgreSQL's ``encode(raw, 'escape')`` keeps printable
    ASCII as it is (an address or a phone number is), SQLite compares the blob cast to text.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        as_text = Func(F("raw"), Value("escape"), function="encode", output_field=models.TextField())
    else:
        as_text = Cast("raw", output_field=models.TextField())
    query = Q()
    for needle in person.needles:
        query |= Q(raw_text__icontains=needle)
    return (InboundMessage.objects.filter(organization=person.organization).annotate(raw_text=as_text)
            .filter(query))


def _scrub_admin_history(model: type[models.Model], ids: list[Any], pattern: re.Pattern[str]) -> None:
    """The admin's history names an object by its ``str()`` (a contact's address) at the time of the change."""
    if not ids:
        return
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                      object_id__in=[str(pk) for pk in ids])
    for entry in entries:
        LogEntry.objects.filter(pk=entry.pk).update(object_repr=_scrub(entry.object_repr, pattern)[:200],
                                                    change_message=_scrub(entry.change_message, pattern))


def _audit(person: Person, action: str, actor: str, extra: dict[str, Any]) -> None:
    # The address itself never enters the audit log: its digest is enough to answer "was X's request handled?".
    AgentLog.objects.create(organization=person.organization, agent=AUDIT_AGENT, action=action,
                            payload={"email_sha256": email_digest(person.email), "actor": actor, **extra})
