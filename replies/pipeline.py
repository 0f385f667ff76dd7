"""One inbound message from stored to acted on: match, triage, record, act, tell the inbox page.

Called for each message the IMAP poller stored (``replies.imap`` handlers, after its commit) and by
``manage.py rex_process_replies`` for messages left unprocessed (a crash between storing and acting). Every step
is safe to repeat: the triage is recomputed from the raw bytes, ``act_on`` acts once per message.

The LLM layer is offered a message only when the matched contact allows it (``Contact.llm_consent``): an unknown
sender or a contact without consent is triaged by the rules alone, or left for review. A reply that names other
contacts (by address or phone) goes to the LLM only if they consented too (``GatewayClassifier.classify``).
"""

from __future__ import annotations

import email
import email.policy
import logging
from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from replies.actions import act_on
from replies.matching import Match, match_message
from replies.models import Category, InboundMessage
from replies.triage import TriageResult, UnreadableMessage, triage_message
from replies.triage.bounces import parse_bounce
from replies.triage.complaints import parse_complaint
from replies.triage.llm import GatewayClassifier

logger = logging.getLogger(__name__)


def process(message_ids: Iterable[int], *, today: date | None = None) -> list[InboundMessage]:
    """Process each message not acted on yet; one that fails is logged and left for the next run."""
    done = []
    for message in InboundMessage.objects.filter(pk__in=list(message_ids), acted_at__isnull=True).order_by("pk"):
        try:
            done.append(process_message(message, today=today))
        except Exception:  # one bad message must not stop the others; it stays unprocessed
            logger.exception("inbound message %s could not be processed; it is kept for the next run", message.pk)
    return done


def process_message(message: InboundMessage, *, today: date | None = None) -> InboundMessage:
    today = today or timezone.localdate()
    parsed = email.message_from_bytes(bytes(message.raw), policy=email.policy.default)
    found = match_message(message)
    consent = bool(found.contact is not None and found.contact.llm_consent)
    try:
        result = triage_message(parsed, new_text=message.new_text or None, today=today,
                                llm=GatewayClassifier(message.organization, contact=found.contact) if consent else None,
                                llm_allowed=consent)
    except UnreadableMessage as exc:
        result = TriageResult(category=Category.NEEDS_REVIEW, layer="review", confidence=0.0, bounce=None,
                              return_date=None, referral=None, reason=f"unreadable: {exc}")
    found = _rematch_report(message, parsed, result, found)
    details = result.as_dict()
    InboundMessage.objects.filter(pk=message.pk).update(
        category=result.category, layer=result.layer, confidence=result.confidence,
        details={key: details[key] for key in ("bounce", "return_date", "referral")} | {"reason": result.reason},
        triaged_at=timezone.now(), outbound=found.outbound, contact=found.contact, enrollment=found.enrollment,
        match=found.method)
    message.refresh_from_db()
    act_on(message, found)
    return message


def _rematch_report(message: InboundMessage, parsed: email.message.EmailMessage, result: TriageResult,
                    found: Match) -> Match:
    """A bounce or a complaint names the email it reports on, which says more than who sent the report."""
    if found.outbound is not None or result.category not in (Category.BOUNCE, Category.COMPLAINT):
        return found
    if result.category == Category.BOUNCE:
        report = parse_bounce(parsed)
        quoted, recipient = (report.original_message_id, report.recipient) if report else ("", "")
    else:
        complaint = parse_complaint(parsed)
        quoted, recipient = ((complaint.original_message_id, complaint.original_recipient) if complaint
                             else ("", ""))
    if not quoted and not recipient:
        return found
    return match_message(message, quoted_message_id=quoted, failed_recipient=recipient)
