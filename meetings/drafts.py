"""The answer that asks for a meeting: the booking link and two or three free slots, from a fixed template.

``draft_answer`` writes it once per key (a mission's idempotency key); ``send_draft`` sends it threaded into the
conversation (as an answer to the reply through ``replies.services.reply`` when there is one, else in the
sequence's thread from its sticky inbox), at most once: the outbound key is the draft's. The campaign's
``approval_required`` decides whether the agent sends at once or the draft waits for approve / edit / reject.

The text is deterministic; it names the contact by first name only and holds no LLM output, so nothing about the
contact leaves REX to write it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import Enrollment
from campaigns.sequencing import contact_zone
from inboxes.models import Inbox, OutboundMessage
from inboxes.sending import send_email
from live.publish import publish
from meetings.delivery import thread_of
from meetings.models import DraftStatus, MeetingDraft
from meetings.services import STREAM, MeetingRefused
from replies import services as replies
from replies.models import InboundMessage
from tenants.models import Organization


def body_text(first_name: str, slots: list[dt.datetime], zone: ZoneInfo, url: str, minutes: int) -> str:
    greeting = f"Hi {first_name}," if first_name else "Hi,"
    lines = [f"- {start.astimezone(zone):%A %d %B, %H:%M} ({zone.key})" for start in slots]
    proposals = ("A few times that work on my side:\n" + "\n".join(lines) + "\n\n") if lines else ""
    return (f"{greeting}\n\nThanks for getting back to me, glad to hear it. Let's find {minutes} minutes to talk.\n\n"
            f"{proposals}Pick whichever suits you (or any other free time) here, it books straight into my "
            f"calendar:\n{url}\n")


def draft_answer(*, key: str, enrollment: Enrollment, reply: InboundMessage | None, url: str,
                 slots: list[dt.datetime], minutes: int) -> MeetingDraft:
    """The draft for ``key``, made once (a second call returns the first)."""
    existing = MeetingDraft.objects.filter(organization_id=enrollment.organization_id, key=key).first()
    if existing is not None:
        return existing
    contact = enrollment.contact
    zone = contact_zone(contact, enrollment.campaign)
    if reply is not None:
        subject = replies.reply_subject(reply.subject)
    else:
        subject = thread_of(enrollment)[0] or "A time to talk"
    try:
        with transaction.atomic():
            draft = MeetingDraft.objects.create(
                organization_id=enrollment.organization_id, enrollment=enrollment, reply=reply, key=key,
                to_address=contact.email, subject=subject[:300],
                body=body_text(contact.first_name, slots, zone, url, minutes),
                slots=[s.astimezone(dt.UTC).isoformat() for s in slots])
            publish(enrollment.organization_id, STREAM, {"type": "meeting.draft", "draft": draft_row(draft)})
    except IntegrityError:
        return MeetingDraft.objects.get(organization_id=enrollment.organization_id, key=key)
    return draft


def send_draft(draft: MeetingDraft, *, user: AbstractBaseUser | None = None, body: str | None = None) -> MeetingDraft:
    """Send the draft (``body``: a person's edited text) into the conversation; once, whoever clicks twice."""
    if draft.status == DraftStatus.REJECTED:
        raise MeetingRefused(409, "status", "this draft was rejected; it cannot be sent")
    if body is not None:
        body = body.strip()
        if not body:
            raise MeetingRefused(400, "body", "write something to send")
        if draft.status == DraftStatus.PENDING:
            MeetingDraft.objects.filter(pk=draft.pk, status=DraftStatus.PENDING).update(body=body)
            draft.body = body
    request_id = f"meeting-draft-{draft.pk}"
    if draft.reply_id is not None:
        try:
            outbound = replies.reply(draft.reply, draft.body, user, request_id=request_id)
        except replies.ReplyRefused as exc:
            raise MeetingRefused(409 if exc.conflict else 400, exc.field, exc.message) from exc
        except replies.ReplyFailed as exc:
            raise MeetingRefused(502, "inbox", exc.message) from exc
    else:
        outbound = _send_in_thread(draft, request_id)
    with transaction.atomic():
        MeetingDraft.objects.filter(pk=draft.pk).exclude(status=DraftStatus.SENT).update(
            status=DraftStatus.SENT, outbound_id=outbound.pk, decided_by=user if user is not None and user.pk else None,
            decided_at=timezone.now())
        draft.refresh_from_db()
        publish(draft.organization_id, STREAM, {"type": "meeting.draft", "draft": draft_row(draft)})
    return draft


def _send_in_thread(draft: MeetingDraft, key: str) -> OutboundMessage:
    enrollment = draft.enrollment
    if enrollment.inbox_id is None:
        raise MeetingRefused(409, "inbox", f"no email was sent to {draft.to_address} in this campaign yet, so "
                                           "there is no conversation to write in")
    subject, in_reply_to, references = thread_of(enrollment)
    inbox = Inbox.objects.select_related("domain").get(pk=enrollment.inbox_id)
    try:
        outbound = send_email(organization=enrollment.organization, inbox=inbox, to=draft.to_address,
                              subject=subject or draft.subject, body=draft.body, idempotency_key=key,
                              campaign=enrollment.campaign, contact=enrollment.contact, in_reply_to=in_reply_to,
                              references=references)
    except ValueError as exc:
        raise MeetingRefused(400, "inbox", str(exc)) from exc
    if outbound.status == OutboundMessage.Status.SUPPRESSED:
        raise MeetingRefused(409, "to_address", f"{draft.to_address} is on the suppression list; nothing was sent")
    return outbound


def reject_draft(draft: MeetingDraft, *, user: AbstractBaseUser | None = None, reason: str = "") -> MeetingDraft:
    """Reject a pending draft (nothing is sent), keeping the person's optional ``reason``."""
    with transaction.atomic():
        if not MeetingDraft.objects.filter(pk=draft.pk, status=DraftStatus.PENDING).update(
                status=DraftStatus.REJECTED, decided_by=user if user is not None and user.pk else None,
                decided_at=timezone.now(), rejection_reason=reason.strip()[:500]):
            draft.refresh_from_db()
            raise MeetingRefused(409, "status", f"this draft is already {draft.status}")
        draft.refresh_from_db()
        publish(draft.organization_id, STREAM, {"type": "meeting.draft", "draft": draft_row(draft)})
    return draft


def draft_row(draft: MeetingDraft) -> dict[str, object]:
    return {"id": draft.pk, "status": draft.status, "to_address": draft.to_address, "subject": draft.subject,
            "body": draft.body, "slots": draft.slots, "reply": draft.reply_id, "enrollment": draft.enrollment_id,
            "created_at": draft.created_at.isoformat(),
            "decided_at": draft.decided_at.isoformat() if draft.decided_at else None,
            "rejection_reason": draft.rejection_reason}


def pending_drafts(organization: Organization) -> dict[str, object]:
    """The Inbox page's "Drafts awaiting approval" section: the organization's pending drafts, oldest first (the
    prospect who has waited longest comes first)."""
    rows = MeetingDraft.objects.filter(organization=organization, status=DraftStatus.PENDING).order_by(
        "created_at", "id")
    return {"drafts": [draft_row(d) for d in rows]}
