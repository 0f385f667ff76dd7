"""What people do with inbound mail, and what the pages and the API read: the thread of a reply, relabelling it,
answering it, and the live frames of the ``replies`` stream.

The inbox page (``replies.views``, static/rex/inbox.js) and the API (``replies.api``) call only this module.
Other parts of the app may add their own functions below; the inbox page's are kept together here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, Q, QuerySet, When
from django.utils import timezone

from campaigns.models import Campaign, SequenceMessage
from inboxes.caps import CapReached
from inboxes.models import Inbox, OutboundMessage
from inboxes.sending import send_email
from inboxes.transports import TransportError
from live.outbox import register_batch_sender
from live.publish import add_to_batch, publish_many
from replies.actions import act_on_correction
from replies.models import Category, InboundMessage, Layer, SentReply
from tenants.models import Organization

# --- the inbox page ---------------------------------------------------------------------------------------------------

# The live stream of the inbox page (declared in RepliesConfig.ready).
STREAM = "replies"
STREAM_DESCRIPTION = "Inbox page rows: {type: reply.event, replies: [row, ...], counts: {total, categories}}"
# The batch sender that turns the ids of inbound messages saved in a transaction into one frame per organization.
BATCH = "replies.inbound"
# A bulk import of old mail is sent as one frame per this many rows.
ROWS_PER_FRAME = 200
# "untriaged": the effective category of a message no layer has decided yet (its category is "").
UNTRIAGED = "untriaged"
SNIPPET_CHARS = 160
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
_RE = re.compile(r"^\s*re\s*:", re.IGNORECASE)


class ReplyRefused(Exception):
    """A reply that cannot be sent as asked: ``field`` names what is at fault (for a 400), ``conflict`` marks a
    request that contradicts one already made (a 409)."""

    def __init__(self, field: str, message: str, *, conflict: bool = False,
                 outbound: OutboundMessage | None = None) -> None:
        super().__init__(message)
        self.field, self.message, self.conflict, self.outbound = field, message, conflict, outbound


class ReplyFailed(Exception):
    """The mail server refused the reply or could not be reached (recorded on the outbound message)."""

    def __init__(self, message: str, *, recoverable: bool, outbound: OutboundMessage | None) -> None:
        super().__init__(message)
        self.message, self.recoverable, self.outbound = message, recoverable, outbound


@dataclass(frozen=True)
class ThreadItem:
    """One email of a conversation, as the inbox page draws it."""

    kind: str  # "outbound" (ours: a sequence step or a person's reply) or "inbound"
    id: str
    at: datetime | None
    from_address: str
    to_address: str
    subject: str
    text: str = ""
    step: int | None = None  # 1-based step of the sequence, for a step's email
    variant: str = ""
    status: str = ""  # an outbound message's delivery status
    category: str = ""  # an inbound message's effective category
    sent_by: str = ""  # who wrote a reply sent from the inbox page
    message_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = self.at.isoformat() if self.at else None
        return data


def effective_category_expression() -> Case:
    """``InboundMessage.effective_category`` in SQL: the correction when there is one, else the machine's."""
    return Case(When(corrected_category="", then=F("category")), default=F("corrected_category"))


def inbound_of(organization: Organization) -> QuerySet[InboundMessage]:
    """The organization's inbound messages, newest first, with what a row shows, and ``effective`` annotated."""
    return (InboundMessage.objects.filter(organization=organization)
            .select_related("inbox", "contact", "corrected_by", "enrollment__campaign", "outbound__campaign",
                            "outbound__sequence_message")
            .annotate(effective=effective_category_expression())
            .order_by("-received_at", "-id"))


def filter_inbound(queryset: QuerySet[InboundMessage], *, category: str = "", inbox: Inbox | None = None,
                   campaign: Campaign | None = None, q: str = "",
                   needs_review: bool | None = None) -> QuerySet[InboundMessage]:
    """The filters of the inbox page and ``GET /api/replies/``; ``queryset`` comes from ``inbound_of``."""
    if category == UNTRIAGED:
        queryset = queryset.filter(effective="")
    elif category:
        queryset = queryset.filter(effective=category)
    if inbox is not None:
        queryset = queryset.filter(inbox=inbox)
    if campaign is not None:
        queryset = queryset.filter(Q(outbound__campaign=campaign) | Q(enrollment__campaign=campaign))
    if q.strip():
        text = q.strip()
        queryset = queryset.filter(Q(from_address__icontains=text) | Q(from_name__icontains=text)
                                   | Q(subject__icontains=text) | Q(new_text__icontains=text)
                                   | Q(body_text__icontains=text))
    if needs_review is True:
        queryset = queryset.filter(effective=Category.NEEDS_REVIEW)
    elif needs_review is False:
        queryset = queryset.exclude(effective=Category.NEEDS_REVIEW)
    return queryset


def category_counts(queryset: QuerySet[InboundMessage]) -> dict[str, Any]:
    """``{"total": n, "categories": {category: n, …, "untriaged": n}, "accuracy": {…}}`` (every category, zeros
    included; ``accuracy``: ``triage_accuracy`` of the same messages)."""
    counts: dict[str, int] = {value: 0 for value in Category.values}
    counts[UNTRIAGED] = 0
    total = 0
    for effective, n in queryset.order_by().values_list("effective").annotate(n=Count("pk")):
        counts[effective or UNTRIAGED] = counts.get(effective or UNTRIAGED, 0) + n
        total += n
    return {"total": total, "categories": counts, "accuracy": triage_accuracy(queryset)}


def triage_accuracy(queryset: QuerySet[InboundMessage]) -> dict[str, Any]:
    """How often people had to correct the machine: of the messages the rules or the LLM decided, how many a person
    relabelled to another category. ``share`` is the part left as decided (None before any decision)."""
    counts = queryset.order_by().filter(layer__in=(Layer.RULES, Layer.LLM)).aggregate(
        decided=Count("pk"),
        corrected=Count("pk", filter=~Q(corrected_category="") & ~Q(corrected_category=F("category"))))
    decided, corrected = counts["decided"], counts["corrected"]
    return {"decided": decided, "corrected": corrected,
            "share": round(1 - corrected / decided, 4) if decided else None}


def campaign_of(message: InboundMessage) -> Campaign | None:
    if message.enrollment_id and message.enrollment.campaign_id:
        return message.enrollment.campaign
    if message.outbound_id and message.outbound.campaign_id:
        return message.outbound.campaign
    return None


def _sequence_message(outbound: OutboundMessage | None) -> SequenceMessage | None:
    if outbound is None:
        return None
    try:
        return outbound.sequence_message
    except SequenceMessage.DoesNotExist:
        return None


def snippet(message: InboundMessage) -> str:
    text = " ".join((message.new_text or message.body_text or "").split())
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS - 1].rstrip() + "…"


def inbound_row(message: InboundMessage) -> dict[str, Any]:
    """A message as the inbox page's list draws it: the shape of ``GET /api/replies/`` rows and of live frames."""
    campaign = campaign_of(message)
    step = _sequence_message(message.outbound)
    contact = message.contact
    return {
        "id": message.pk,
        "received_at": message.received_at.isoformat() if message.received_at else None,
        "from_address": message.from_address,
        "from_name": message.from_name,
        "to_address": message.to_address,
        "subject": message.subject,
        "snippet": snippet(message),
        "category": message.effective_category or UNTRIAGED,
        "machine_category": message.category or UNTRIAGED,
        "layer": message.layer,
        "confidence": message.confidence,
        "corrected_by": message.corrected_by.get_username() if message.corrected_by_id else None,
        "corrected_at": message.corrected_at.isoformat() if message.corrected_at else None,
        "needs_review": message.effective_category == Category.NEEDS_REVIEW,
        "inbox": message.inbox.address if message.inbox_id else None,
        "campaign": {"slug": campaign.slug, "name": campaign.name} if campaign else None,
        "contact": ({"id": contact.pk, "email": contact.email,
                     "name": " ".join(p for p in (contact.first_name, contact.last_name) if p)} if contact else None),
        "step": step.step_index + 1 if step else None,
        "variant": step.variant_label if step else "",
        "match": message.match,
        "acted_at": message.acted_at.isoformat() if message.acted_at else None,
    }


def inbound_detail(message: InboundMessage) -> dict[str, Any]:
    """The row, the texts, the triage details, what REX did, and the whole thread (``GET /api/replies/<id>/``)."""
    return {
        **inbound_row(message),
        "message_id": message.message_id,
        "body_text": message.body_text,
        "new_text": message.new_text,
        "details": message.details or {},
        "actions": message.actions or [],
        "enrollment": ({"id": message.enrollment.pk, "state": message.enrollment.state}
                       if message.enrollment_id else None),
        "can_reply": message.inbox_id is not None and bool(message.from_address),
        "thread": [item.as_dict() for item in thread_of(message)],
    }


def _thread_scope(message: InboundMessage) -> tuple[QuerySet[OutboundMessage], QuerySet[InboundMessage]]:
    """The outbound and inbound messages of ``message``'s conversation (before the inbox page's own replies)."""
    org = message.organization_id
    outbound = OutboundMessage.objects.filter(organization_id=org)
    inbound = InboundMessage.objects.filter(organization_id=org)
    step = _sequence_message(message.outbound) if message.outbound_id else None
    enrollment_id = message.enrollment_id or (step.enrollment_id if step else None)
    if enrollment_id:
        return (outbound.filter(sequence_message__enrollment_id=enrollment_id),
                inbound.filter(Q(enrollment_id=enrollment_id) | Q(outbound__sequence_message__enrollment_id=enrollment_id)
                               | Q(pk=message.pk)))
    campaign = campaign_of(message)
    if message.contact_id and campaign is not None:
        return (outbound.filter(contact_id=message.contact_id, campaign=campaign),
                inbound.filter(Q(contact_id=message.contact_id, outbound__campaign=campaign) | Q(pk=message.pk)))
    if message.outbound_id:
        return (outbound.filter(pk=message.outbound_id),
                inbound.filter(Q(outbound_id=message.outbound_id) | Q(pk=message.pk)))
    return outbound.none(), inbound.filter(pk=message.pk)


def thread_of(message: InboundMessage) -> list[ThreadItem]:
    """The conversation ``message`` belongs to, oldest first: the sequence's emails to the contact (the steps of
    the same enrollment, else of the same contact and campaign), the replies that came back, and the answers
    people sent from the inbox page."""
    outbound_qs, inbound_qs = _thread_scope(message)
    inbound = list(inbound_qs.select_related("corrected_by").order_by("received_at", "id"))
    answered_ids = [m.message_id for m in inbound if m.message_id]
    outbound = list(
        OutboundMessage.objects.filter(Q(pk__in=outbound_qs.values("pk"))
                                       | Q(organization_id=message.organization_id, in_reply_to__in=answered_ids,
                                           sent_reply__isnull=False))
        .select_related("inbox", "sequence_message", "sent_reply__sent_by").distinct())
    items: list[ThreadItem] = []
    for out in outbound:
        step = _sequence_message(out)
        try:
            manual: SentReply | None = out.sent_reply
        except SentReply.DoesNotExist:
            manual = None
        items.append(ThreadItem(
            kind="outbound", id=str(out.pk), at=out.sent_at or out.created_at,
            from_address=out.inbox.address if out.inbox_id else "", to_address=out.to_address, subject=out.subject,
            text=manual.body if manual else "", step=step.step_index + 1 if step else None,
            variant=step.variant_label if step else "", status=out.status,
            sent_by=manual.sent_by.get_username() if manual and manual.sent_by_id else "",
            message_id=out.message_id))
    for reply in inbound:
        items.append(ThreadItem(
            kind="inbound", id=str(reply.pk), at=reply.received_at, from_address=reply.from_address,
            to_address=reply.to_address, subject=reply.subject, text=reply.new_text or reply.body_text,
            category=reply.effective_category or UNTRIAGED, message_id=reply.message_id))
    far_past = datetime.min.replace(tzinfo=UTC)
    items.sort(key=lambda item: (item.at or far_past, 0 if item.kind == "outbound" else 1))
    return items


def relabel(message: InboundMessage, category: str, user: AbstractBaseUser | None) -> InboundMessage:
    """A person's category for ``message``, kept beside the machine's (``corrected_*``); ValueError for a category
    that does not exist. The inbox pages see the new row live."""
    if category not in Category.values:
        raise ValueError(f"{category!r} is not a category; one of {', '.join(Category.values)}")
    now = timezone.now()
    previous = message.effective_category
    InboundMessage.objects.filter(pk=message.pk).update(
        corrected_category=category, corrected_by=user if user is not None and user.pk else None, corrected_at=now)
    message.refresh_from_db()
    # What the new category asks is done too (relabelled "unsubscribe": suppressed now).
    act_on_correction(message, previous=previous, now=now)
    broadcast_inbound([message.pk])
    return inbound_of(message.organization).get(pk=message.pk)


def reply_subject(subject: str) -> str:
    """"Re: <subject>", never "Re: Re: …"."""
    subject = " ".join(subject.split())
    if _RE.match(subject):
        return subject
    return f"Re: {subject}" if subject else "Re:"


def reply_key(message: InboundMessage, request_id: str) -> str:
    """The idempotency key of a reply: one per inbound message and click, so a double submit sends once."""
    return f"reply:{message.pk}:{request_id}"


def already_sent(message: InboundMessage, request_id: str) -> bool:
    """Whether this click's reply already went out (or is on its way): sending it again sends nothing."""
    return OutboundMessage.objects.filter(
        idempotency_key=reply_key(message, request_id),
        status__in=(OutboundMessage.Status.SENT, OutboundMessage.Status.SENDING)).exists()


def reply(message: InboundMessage, body: str, user: AbstractBaseUser | None, *, request_id: str) -> OutboundMessage:
    """Answer ``message`` from the inbox that received it, threaded under it, at most once per ``request_id``.

    Call it outside a transaction (``send_email`` commits each step on its own). Raises ``ReplyRefused`` (a field
    at fault, or ``conflict`` for a request id already used for another text or a suppressed recipient) and
    ``ReplyFailed`` when the mail server refused it or could not be reached.
    """
    body = body.strip()
    if not body:
        raise ReplyRefused("body", "write something to send")
    if not REQUEST_ID.match(request_id or ""):
        raise ReplyRefused("request_id", "8 to 64 characters: letters, digits, '.', '_', ':' or '-'")
    if message.inbox_id is None:
        raise ReplyRefused("inbox", "this message arrived in no inbox of yours, so there is none to answer from")
    if not message.from_address:
        raise ReplyRefused("from_address", "this message has no sender address to answer")
    key = reply_key(message, request_id)
    earlier = SentReply.objects.filter(inbound=message, request_id=request_id).select_related("message").first()
    if earlier is not None and earlier.body != body:
        raise ReplyRefused("request_id", "this request id was already used for another text; send it as a new "
                                         "reply", conflict=True, outbound=earlier.message)
    inbox = Inbox.objects.select_related("domain").get(pk=message.inbox_id)
    references = " ".join(part for part in (message.references.strip(), message.message_id) if part)
    failure: TransportError | None = None
    try:
        outbound = send_email(
            organization=message.organization, inbox=inbox, to=message.from_address,
            subject=reply_subject(message.subject or (message.outbound.subject if message.outbound_id else "")),
            body=body, idempotency_key=key, campaign=campaign_of(message), contact=message.contact,
            in_reply_to=message.message_id, references=references)
    except CapReached as exc:
        raise ReplyRefused("inbox", str(exc)) from exc
    except TransportError as exc:
        failure = exc
        outbound = OutboundMessage.objects.filter(idempotency_key=key).first()
    except ValueError as exc:
        raise ReplyRefused("inbox", str(exc)) from exc
    if outbound is not None:
        _record_sent_reply(message, outbound, body=body, user=user, request_id=request_id)
        broadcast_inbound([message.pk])
    if failure is not None:
        raise ReplyFailed(failure.message, recoverable=failure.recoverable, outbound=outbound) from failure
    if outbound.status == OutboundMessage.Status.SUPPRESSED:
        raise ReplyRefused("from_address", f"{message.from_address} is on the suppression list (unsubscribed, "
                                           "bounced or complained); nothing was sent", conflict=True,
                           outbound=outbound)
    return outbound


def _record_sent_reply(message: InboundMessage, outbound: OutboundMessage, *, body: str,
                       user: AbstractBaseUser | None, request_id: str) -> None:
    try:
        with transaction.atomic():
            SentReply.objects.get_or_create(message=outbound, defaults={
                "inbound": message, "body": body, "request_id": request_id,
                "sent_by": user if user is not None and user.pk else None})
    except IntegrityError:
        pass  # a concurrent twin of the same click recorded it


def outbound_row(outbound: OutboundMessage) -> dict[str, Any]:
    """A reply sent from the inbox page, as ``POST /api/replies/<id>/reply`` answers it."""
    try:
        manual: SentReply | None = outbound.sent_reply
    except SentReply.DoesNotExist:
        manual = None
    return {
        "id": str(outbound.pk),
        "status": outbound.status,
        "from_address": outbound.inbox.address if outbound.inbox_id else "",
        "to_address": outbound.to_address,
        "subject": outbound.subject,
        "message_id": outbound.message_id,
        "in_reply_to": outbound.in_reply_to,
        "references": outbound.references,
        "sent_at": outbound.sent_at.isoformat() if outbound.sent_at else None,
        "error": outbound.error,
        "body": manual.body if manual else "",
        "sent_by": manual.sent_by.get_username() if manual and manual.sent_by_id else "",
    }


# --- live frames -------------------------------------------------------------------------------------------------------

def broadcast_inbound(message_ids: Iterable[int]) -> None:
    """After the current transaction commits (at once outside one), send these messages' rows to the inbox pages;
    the ids saved in one transaction go out together."""
    for message_id in dict.fromkeys(message_ids):
        add_to_batch(BATCH, None, message_id)


def inbound_frames(message_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """The live frames for these inbound messages, per organization id, read as committed."""
    ids = list(dict.fromkeys(message_ids))
    messages = list(InboundMessage.objects.filter(pk__in=ids).select_related(
        "organization", "inbox", "contact", "corrected_by", "enrollment__campaign", "outbound__campaign",
        "outbound__sequence_message").order_by("-received_at", "-id"))
    by_org: dict[int, list[dict[str, Any]]] = defaultdict(list)
    organizations: dict[int, Organization] = {}
    for message in messages:
        by_org[message.organization_id].append(inbound_row(message))
        organizations[message.organization_id] = message.organization
    frames: dict[int, list[dict[str, Any]]] = {}
    for org_id, rows in by_org.items():
        counts = category_counts(inbound_of(organizations[org_id]))
        frames[org_id] = [{"type": "reply.event", "replies": rows[start:start + ROWS_PER_FRAME], "counts": counts}
                          for start in range(0, len(rows), ROWS_PER_FRAME)]
    return frames


def publish_inbound(message_ids: Iterable[int]) -> None:
    """Send the rows of these inbound messages (new or changed) on the ``replies`` stream, with the organization's
    fresh counts per category, one frame per organization (after commit when called inside a transaction)."""
    for org_id, frames in inbound_frames(message_ids).items():
        publish_many(org_id, STREAM, frames)


def _send_batch(key: Any, message_ids: list[int]) -> None:
    publish_inbound(message_ids)


register_batch_sender(BATCH, _send_batch)


def triage_layers(organization: Organization, since: datetime) -> dict[str, int]:
    """How the organization's replies triaged since ``since`` were decided: by the rules, by the LLM, or left for
    review (a decision source of the dashboard's layer-share figure, ``missions.decision``). One query."""
    counts = InboundMessage.objects.filter(organization=organization, triaged_at__gte=since).aggregate(
        rules=Count("pk", filter=Q(layer=Layer.RULES)), llm=Count("pk", filter=Q(layer=Layer.LLM)),
        review=Count("pk", filter=Q(layer=Layer.REVIEW)))
    return {name: counts[name] for name in ("rules", "llm", "review")}
