"""Which email, contact and enrollment an inbound message answers.

In order, the first that finds something wins:

1. ``In-Reply-To``, then every id of ``References`` (newest first), against the Message-IDs REX stored on its
   outbound emails;
2. for a bounce or a complaint, the Message-ID (or REX's outbound id header) quoted in the report, then the failed
   recipient's address;
3. the sender's address: the contact of the organization with that email, in the campaign the inbox sends for
   when it has several (Gmail and others rewrite or drop the threading headers);
4. someone else at the same company (the sender's domain is a contacted person's, not a webmail domain): the
   reply is matched to that company's enrollments in the campaign, which it stops too (``company``), as Apollo
   does; a campaign turns that off with ``stop_company_on_reply``.

Everything is looked up within the message's organization only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from campaigns.models import RUNNING_STATES, Contact, Enrollment, EnrollmentState
from inboxes.models import OutboundMessage
from replies.models import InboundMessage

# Domains many unrelated people share: a reply from one of them says nothing about a company.
FREEMAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com", "msn.com",
    "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com",
    "gmx.de", "gmx.net", "gmx.com", "web.de", "t-online.de", "orange.fr", "wanadoo.fr", "free.fr", "laposte.net",
    "proton.me", "protonmail.com", "zoho.com", "mail.com", "yandex.com", "yandex.ru", "qq.com", "163.com",
})
# Enrollments a reply can still stop (a completed one is recorded as replied too: the answer counts).
OPEN_STATES = (*RUNNING_STATES, EnrollmentState.PAUSED, EnrollmentState.COMPLETED)


@dataclass
class Match:
    outbound: OutboundMessage | None = None
    contact: Contact | None = None
    enrollment: Enrollment | None = None
    method: str = ""
    # Other enrollments the reply also stops: colleagues at the same company in the same campaign.
    company_enrollments: list[Enrollment] = field(default_factory=list)


def _outbound_by_ids(organization_id: int, ids: list[str]) -> OutboundMessage | None:
    ids = [i.strip() for i in ids if i and i.strip()]
    if not ids:
        return None
    found = {m.message_id: m for m in OutboundMessage.objects.filter(organization_id=organization_id,
                                                                     message_id__in=ids)}
    return next((found[i] for i in reversed(ids) if i in found), None)


def _enrollment_of(outbound: OutboundMessage) -> Enrollment | None:
    record = getattr(outbound, "sequence_message", None)
    if record is not None:
        return record.enrollment
    if outbound.campaign_id and outbound.contact_id:
        return Enrollment.objects.filter(campaign_id=outbound.campaign_id, contact_id=outbound.contact_id).first()
    return None


def _from_outbound(outbound: OutboundMessage, method: str) -> Match:
    enrollment = _enrollment_of(outbound)
    contact = outbound.contact or (enrollment.contact if enrollment else None)
    return Match(outbound=outbound, contact=contact, enrollment=enrollment, method=method)


def _contact_match(message: InboundMessage, email: str, method: str) -> Match | None:
    contact = Contact.objects.filter(organization_id=message.organization_id, email=email.strip().lower()).first()
    if contact is None:
        return None
    enrollments = Enrollment.objects.filter(contact=contact).select_related("campaign")
    # Prefer the campaign this inbox sends for, then the one still running, then the latest.
    mine = enrollments.filter(inbox_id=message.inbox_id) if message.inbox_id else enrollments.none()
    enrollment = (mine.filter(state__in=OPEN_STATES).order_by("-last_sent_at").first()
                  or enrollments.filter(state__in=OPEN_STATES).order_by("-last_sent_at").first()
                  or enrollments.order_by("-enrolled_at").first())
    outbound = (OutboundMessage.objects.filter(contact=contact, status=OutboundMessage.Status.SENT)
                .order_by("-sent_at").first())
    return Match(outbound=outbound, contact=contact, enrollment=enrollment, method=method)


def _company_match(message: InboundMessage) -> Match | None:
    domain = message.from_address.rpartition("@")[2].lower()
    if not domain or domain in FREEMAIL_DOMAINS:
        return None
    colleagues = list(Enrollment.objects.filter(
        organization_id=message.organization_id, contact__email__iendswith=f"@{domain}", state__in=OPEN_STATES,
        campaign__stop_company_on_reply=True)
        .filter(Q(inbox_id=message.inbox_id) if message.inbox_id else Q())
        .select_related("contact", "campaign").order_by("-last_sent_at"))
    if not colleagues:
        return None
    return Match(contact=None, enrollment=None, method="company", company_enrollments=colleagues)


def match_message(message: InboundMessage, *, quoted_message_id: str = "", failed_recipient: str = "") -> Match:
    """What ``message`` answers (see the module docstring). ``quoted_message_id`` and ``failed_recipient`` come from
    a bounce or complaint report."""
    organization_id = message.organization_id
    if message.in_reply_to:
        outbound = _outbound_by_ids(organization_id, [message.in_reply_to])
        if outbound is not None:
            return _from_outbound(outbound, "in_reply_to")
    if message.references:
        outbound = _outbound_by_ids(organization_id, message.references.split())
        if outbound is not None:
            return _from_outbound(outbound, "references")
    if quoted_message_id:
        outbound = _outbound_by_ids(organization_id, [quoted_message_id])
        if outbound is not None:
            return _from_outbound(outbound, "bounce")
    if failed_recipient:
        return _contact_match(message, failed_recipient, "bounce") or Match()
    if message.from_address:
        found = _contact_match(message, message.from_address, "sender")
        if found is not None:
            return found
        found = _company_match(message)
        if found is not None:
            return found
    return Match()
