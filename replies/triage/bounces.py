"""Bounces: delivery status notifications (RFC 3464 and the big providers' and MTAs' own formats), parsed into the
failed recipient, the status, the remote server's text and the Message-ID of our email they quote.

How bad each one is (``hard``, ``soft``, ``infrastructure``) and the precedence of the rules that say so live with
the inboxes (``inboxes/bounce_classes.py``): REX's own refusals at send time and SendGrid's events are classified
by the same rules. They are re-exported here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from email.utils import getaddresses

# The classification lives with the inboxes (the send path and the SendGrid webhook use it too).
from inboxes.bounce_classes import (  # noqa: F401 - re-exported: replies.triage.bounces.classify
    HARD,
    INFRASTRUCTURE,
    SOFT,
    STATUS_PATTERN,
    UNRECOGNISED,
    classify,
    classify_sendgrid_event,
    find_smtp_code,
    find_status,
)
from replies.triage.mailparts import (
    attached_headers,
    bare_message_id,
    field_blocks,
    header,
    message_text,
    own_parts,
)


@dataclass(frozen=True)
class Bounce:
    recipient: str
    status: str                 # enhanced code like "5.1.1", "" if unknown
    klass: str                  # "hard" | "soft" | "infrastructure"
    reason: str                 # a short human reason
    diagnostic: str             # the remote server's text
    original_message_id: str    # our Message-ID when the DSN quotes the returned message, else ""
    # Our X-REX-Outbound-ID (the OutboundMessage pk) when the returned headers carry it, else "": matches even when
    # a provider rewrote the Message-ID.
    outbound_id: str = ""


# --- parse_bounce -----------------------------------------------------------------------------------------------

DAEMON_SENDER = re.compile(r"^(?:mailer-daemon|postmaster|mail-?daemon|mdaemon|bounces?|mail\.delivery)@", re.I)
BOUNCE_SUBJECT = re.compile(
    r"undeliver(?:able|ed)|delivery status notification|failure notice|mail delivery failed|returned mail|"
    r"delivery (?:has )?failed|delivery failure|message not delivered|could not be delivered|non[- ]?delivery|"
    r"delayed mail|delivery (?:delayed|notification)|warning: could not send", re.I)
BOUNCE_BODY = re.compile(
    r"could not be delivered|couldn't be delivered|wasn't delivered|was not delivered|unable to deliver|"
    r"delivery has failed|delivery (?:to the following|is delayed)|not able to deliver|permanent(?:ly)? (?:fatal )?error|"
    r"the following address(?:es)? failed|an error occurred while trying to deliver|message not delivered|"
    r"mail delivery software|qmail-send program|the mail system|address not found|delivery status notification|"
    r"not yet been delivered|hasn't been delivered|temporary problem delivering", re.I)
# Where the copy of our message starts in the text-only formats: nothing after it is the server's report.
COPY_MARKERS = re.compile(
    r"^.*(?:below this line is a copy|this is a copy of the message|original message (?:headers|follows)|"
    r"-{3,} ?original message|undelivered message attached|----- ?(?:the )?original message).*$", re.I | re.M)
DIAGNOSTIC_PATTERNS = [
    re.compile(r"remote server returned '(.+)'\s*$", re.I | re.M),   # the text itself may hold "doesn't"
    re.compile(r"remote host said:\s*(.+)", re.I),
    re.compile(r"smtp error from remote mail server after [^\n]*:\s*\n\s*(.+)", re.I),
    re.compile(r"\(reason:\s*(.+?)\)\s*$", re.I | re.M),
    re.compile(r"the response from the remote server was:\s*\n(.+(?:\n\d{3}[ -].+)*)", re.I),
    re.compile(r"^\s*#?([245]\d\d[ \-:].+)$", re.M),
    re.compile(r"^(.+\(#[245]\.\d{1,3}\.\d{1,3}\).*)$", re.M),
]
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


def parse_bounce(msg: Message) -> Bounce | None:
    """The bounce this message reports (its first failed, else first delayed, recipient), or None if it is not one."""
    report = _delivery_report(msg)
    if report is not None:
        return _from_report(msg, report)
    if _looks_like_text_bounce(msg):
        return _from_text(msg)
    return None


def _delivery_report(msg: Message) -> Message | None:
    for part in own_parts(msg):
        if part.get_content_type() == "message/delivery-status":
            return part
    return None


def _field(block: Message, name: str) -> str:
    value = " ".join(header(block, name).split())
    # "rfc822; someone@example.com", "smtp; 550 …", "dns; mx.example.com": the type before ";" is not the value.
    return value.split(";", 1)[1].strip() if ";" in value else value


def _from_report(msg: Message, report: Message) -> Bounce | None:
    recipients = [b for b in field_blocks(report) if header(b, "Final-Recipient") or header(b, "Action")]
    failed = [b for b in recipients if header(b, "Action").lower().startswith("failed")]
    delayed = [b for b in recipients if header(b, "Action").lower().startswith("delayed")]
    if not failed and not delayed:
        # delivered / relayed / expanded: a success notice, not a bounce. No recipient block at all: read the text.
        return _from_text(msg) if not recipients else None
    block = (failed or delayed)[0]
    recipient = _field(block, "Final-Recipient") or _field(block, "Original-Recipient")
    status = find_status(header(block, "Status"))
    diagnostic = _field(block, "Diagnostic-Code")
    text = message_text(msg)
    if not diagnostic:
        diagnostic = _text_diagnostic(text, recipient)
    klass, reason = classify(status, diagnostic or text)
    if klass != INFRASTRUCTURE and reason.startswith(UNRECOGNISED) and diagnostic:
        klass, reason = classify(status, text)
    if not failed:
        klass, reason = _delayed(klass, reason)
    message_id, outbound_id = _returned_ids(msg, text)
    return Bounce(recipient=_bare_address(recipient), status=status, klass=klass, reason=reason,
                  diagnostic=diagnostic, original_message_id=message_id, outbound_id=outbound_id)


def _delayed(klass: str, reason: str) -> tuple[str, str]:
    # Not final: the server is still retrying. Soft, unless the cause is ours (a rate limit or reputation deferral
    # only ever arrives as a delay, and is exactly what an incident is for).
    if klass == INFRASTRUCTURE:
        return klass, f"delivery delayed, still being retried: {reason}"
    return SOFT, f"delivery delayed, still being retried: {reason}"


def _looks_like_text_bounce(msg: Message) -> bool:
    sender = ", ".join(addr for _, addr in getaddresses([header(msg, "From")]))
    by_sender = bool(DAEMON_SENDER.search(sender)) or "mail delivery" in header(msg, "From").lower()
    by_subject = bool(BOUNCE_SUBJECT.search(header(msg, "Subject")))
    if not (by_sender or by_subject):
        return False
    report = COPY_MARKERS.split(message_text(msg), maxsplit=1)[0]
    return bool(BOUNCE_BODY.search(report)) or (by_sender and bool(STATUS_PATTERN.search(report)))


def _from_text(msg: Message) -> Bounce:
    text = message_text(msg)
    report = COPY_MARKERS.split(text, maxsplit=1)[0]
    recipient = _text_recipient(msg, report)
    diagnostic = _text_diagnostic(report, recipient)
    status = find_status(diagnostic) or find_status(report)
    klass, reason = classify(status, diagnostic or report)
    if klass != INFRASTRUCTURE and reason.startswith(UNRECOGNISED):
        klass, reason = classify(status, report)
    delayed = re.search(r"\(delay\)|delayed|not (?:been )?delivered yet|hasn't been delivered|will (?:be )?retr(?:y|ied)",
                        header(msg, "Subject") + "\n" + report, re.IGNORECASE)
    if delayed and not re.search(r"permanent", report, re.IGNORECASE):
        klass, reason = _delayed(klass, reason)
    message_id, outbound_id = _returned_ids(msg, text)
    return Bounce(recipient=recipient, status=status, klass=klass, reason=reason, diagnostic=diagnostic,
                  original_message_id=message_id, outbound_id=outbound_id)


def _text_recipient(msg: Message, report: str) -> str:
    failed = header(msg, "X-Failed-Recipients")
    if failed:
        return _bare_address(failed.split(",")[0])
    ours = {addr.lower() for _, addr in getaddresses([header(msg, "To"), header(msg, "From")])}
    for candidate in _ADDRESS.findall(report):
        address = candidate.strip(".'\"")
        if address.lower() not in ours and not DAEMON_SENDER.search(address):
            return address
    return ""


def _text_diagnostic(report: str, recipient: str) -> str:
    for pattern in DIAGNOSTIC_PATTERNS:
        match = pattern.search(report)
        if match:
            return " ".join(match.group(1).split())
    if recipient:
        # Postfix, qmail, Yahoo: "<rcpt>:" and the server's words on the lines after it.
        after = re.search(re.escape(recipient) + r">?:\s*(.+?)(?:\n\s*\n|\Z)", report, re.DOTALL)
        if after:
            return " ".join(after.group(1).split())
    return ""


def _returned_ids(msg: Message, text: str) -> tuple[str, str]:
    for part in own_parts(msg):
        returned = attached_headers(part)
        if returned is None:
            continue
        message_id = bare_message_id(header(returned, "Message-ID"))
        outbound_id = header(returned, "X-REX-Outbound-ID")
        if message_id or outbound_id:
            return message_id, outbound_id
    # Text-only formats quote our headers inline after the report.
    quoted = COPY_MARKERS.split(text, maxsplit=1)
    tail = quoted[1] if len(quoted) > 1 else text
    message_id = re.search(r"^\s*Message-ID:\s*(<[^>\s]+>)", tail, re.IGNORECASE | re.MULTILINE)
    outbound_id = re.search(r"^\s*X-REX-Outbound-ID:\s*(\S+)", tail, re.IGNORECASE | re.MULTILINE)
    return (message_id.group(1) if message_id else "", outbound_id.group(1) if outbound_id else "")


def _bare_address(value: str) -> str:
    match = _ADDRESS.search(value)
    return match.group(0) if match else value.strip().strip("<>")
