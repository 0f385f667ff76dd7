"""Complaints: a mailbox provider tells us one of its users marked our email as spam (a feedback loop report).

The standard form is ARF (RFC 5965): ``multipart/report; report-type=feedback-report`` with a human part, a
``message/feedback-report`` part (Feedback-Type, User-Agent, Original-Rcpt-To, Original-Mail-From, Arrival-Date)
and the reported message as ``message/rfc822`` or ``text/rfc822-headers``. Yahoo's CFL and Microsoft's JMRP send
ARF; older feedback loops (and forwarding abuse desks) send a text part with the message attached and no
feedback-report part, which is read as feedback type "abuse" when the sender or the wording says it is an abuse
report.

Two ARF feedback types are not a person's complaint and give None: "auth-failure" (RFC 6591, a DMARC/DKIM
failure report about our own authentication) and "not-spam" (the user rescued the mail from spam).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from email.utils import getaddresses

from replies.triage.mailparts import attached_headers, bare_message_id, field_blocks, header, message_text, own_parts

NOT_COMPLAINTS = {"auth-failure", "not-spam"}
# Known feedback-loop senders (Microsoft JMRP, Yahoo CFL, AOL) and the usual abuse-desk local parts.
FBL_SENDER = re.compile(r"^(?:staff@hotmail\.com|feedback@arf\.mail\.yahoo\.com|scomp@aol\.net|"
                        r"(?:abuse|fbl|feedback|feedbackloop|complaints?|spam-?report|abuse-report)[\w.+-]*@.+)$", re.I)
COMPLAINT_WORDING = re.compile(r"abuse report|spam complaint|complaint about message|reported (?:this|the attached|as) "
                               r"|marked (?:as|this) (?:spam|junk)|feedback[- ]loop|email feedback report", re.I)


@dataclass(frozen=True)
class Complaint:
    feedback_type: str          # "abuse", "fraud", "virus", "other", …
    original_recipient: str
    original_message_id: str
    user_agent: str
    # Our X-REX-Outbound-ID when the reported headers carry it (providers may redact the body, rarely this), else "".
    outbound_id: str = ""


def parse_complaint(msg: Message) -> Complaint | None:
    """The complaint this feedback report carries, or None if the message is not one."""
    report = next((p for p in own_parts(msg) if p.get_content_type() == "message/feedback-report"), None)
    if report is not None:
        return _from_arf(msg, report)
    if _looks_like_feedback_loop(msg):
        recipient, message_id, outbound_id = _reported(msg)
        return Complaint(feedback_type="abuse", original_recipient=recipient, original_message_id=message_id,
                         user_agent="", outbound_id=outbound_id)
    return None


def _from_arf(msg: Message, report: Message) -> Complaint | None:
    fields: dict[str, str] = {}
    for block in field_blocks(report):
        for name, value in block.items():
            fields.setdefault(name.lower(), " ".join(str(value).split()))
    feedback_type = fields.get("feedback-type", "abuse").lower() or "abuse"
    if feedback_type in NOT_COMPLAINTS:
        return None
    reported_recipient, message_id, outbound_id = _reported(msg)
    recipient = _address(fields.get("original-rcpt-to", "")) or _address(fields.get("removal-recipient", ""))
    return Complaint(feedback_type=feedback_type, original_recipient=recipient or reported_recipient,
                     original_message_id=message_id, user_agent=fields.get("user-agent", ""), outbound_id=outbound_id)


def _looks_like_feedback_loop(msg: Message) -> bool:
    attached = any(p.get_content_type() in ("message/rfc822", "text/rfc822-headers") for p in own_parts(msg))
    if not attached:
        return False
    sender = next((addr for _, addr in getaddresses([header(msg, "From")]) if addr), "")
    wording = COMPLAINT_WORDING.search(header(msg, "Subject") + "\n" + message_text(msg))
    # Both: an abuse desk also forwards bounces and questions; a customer may forward us a message "as spam" in jest.
    return bool(wording) and (bool(FBL_SENDER.match(sender)) or "abuse" in header(msg, "Subject").lower())


def _reported(msg: Message) -> tuple[str, str, str]:
    """(recipient, Message-ID, X-REX-Outbound-ID) of the reported message, from its attached headers."""
    for part in own_parts(msg):
        headers = attached_headers(part)
        if headers is None:
            continue
        # Microsoft JMRP rewrites To: and keeps the real one in X-HmXmrOriginalRecipient.
        recipient = _address(header(headers, "X-HmXmrOriginalRecipient")) or _address(header(headers, "To"))
        return recipient, bare_message_id(header(headers, "Message-ID")), header(headers, "X-REX-Outbound-ID")
    return "", "", ""


def _address(value: str) -> str:
    found = [addr for _, addr in getaddresses([value]) if "@" in addr]
    return found[0] if found else ""
