"""Turn the raw bytes of an inbound message into the fields ``InboundMessage`` stores, never raising.

Mail from the internet is often malformed (broken encodings, bad dates, unknown charsets, no headers at all). Each
field is read on its own, so a field that cannot be parsed is left empty and the others are kept; the raw bytes are
always stored beside them, so nothing is lost and a better parser can read them again later.

The reply's own words (``new_text``) come from ``mail-parser-reply``, which knows the quote headers of English,
German, French and other mail clients ("On … wrote:", "Am … schrieb …:", "Le … a écrit :", Outlook's "From:/Von:/De :"
blocks) and cuts the quoted thread off.
"""

from __future__ import annotations

import email
import email.policy
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

from mailparser_reply import EmailReplyParser

from replies.triage.text import html_to_text

logger = logging.getLogger(__name__)

# The languages whose quote headers are recognised, most likely first (mail-parser-reply's codes).
REPLY_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pl", "sv", "da", "cs"]


@dataclass
class ParsedMessage:
    message_id: str = ""
    in_reply_to: str = ""
    references: str = ""
    from_address: str = ""
    from_name: str = ""
    to_address: str = ""
    subject: str = ""
    sent_at: datetime | None = None
    body_text: str = ""
    new_text: str = ""


def parse_message(raw: bytes) -> ParsedMessage:
    """The fields of ``raw``; any field that cannot be read is "" (or None), the others are still filled."""
    parsed = ParsedMessage()
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception:
        logger.warning("inbound message unparseable (%d bytes): stored raw only", len(raw), exc_info=True)
        return parsed
    assert isinstance(message, EmailMessage)
    parsed.message_id = _single_id(_header(message, "Message-ID"))
    parsed.in_reply_to = _single_id(_header(message, "In-Reply-To"))
    parsed.references = " ".join(_header(message, "References").split())
    parsed.from_name, parsed.from_address = _first_address(_header(message, "From"))
    parsed.to_address = _first_address(_header(message, "To"))[1]
    parsed.subject = " ".join(_header(message, "Subject").split())
    parsed.sent_at = _date(_header(message, "Date"))
    parsed.body_text = _body_text(message)
    parsed.new_text = reply_text(parsed.body_text)
    return parsed


def reply_text(body: str) -> str:
    """The new words of a reply: the quoted thread below "On … wrote:" (and its translations) cut off."""
    if not body.strip():
        return ""
    try:
        return (EmailReplyParser(languages=REPLY_LANGUAGES).parse_reply(text=body) or "").strip()
    except Exception:
        logger.warning("reply parser failed; new_text is the whole body", exc_info=True)
        return body.strip()


# --- headers ---------------------------------------------------------------------------------------------------------

def _header(message: EmailMessage, name: str) -> str:
    """The header's decoded value, or its raw value when it cannot be decoded, or ""."""
    try:
        value = message.get(name)
        return _clean(str(value)) if value is not None else ""
    except Exception:  # noqa: BLE001 - email's header parsers raise on some malformed values; fall back to raw
        pass
    for key, raw_value in message.raw_items():
        if key.lower() == name.lower():
            try:
                return _clean(str(make_header(decode_header(str(raw_value)))))
            except Exception:  # noqa: BLE001 - undecodable encoded-words: the raw text is better than nothing
                return _clean(str(raw_value))
    return ""


def _single_id(value: str) -> str:
    # "<abc@host>" as REX stores its own Message-IDs (inboxes.sending: make_msgid); some clients add comments or
    # several ids: the first <…> wins.
    value = value.strip()
    if "<" in value and ">" in value.split("<", 1)[1]:
        return "<" + value.split("<", 1)[1].split(">", 1)[0].strip() + ">"
    return value.split()[0] if value.split() else ""


def _first_address(value: str) -> tuple[str, str]:
    """(name, address) of the first address in a From/To header, the address lower-cased; ("", "") if none."""
    if not value:
        return "", ""
    try:
        pairs = getaddresses([value])
    except Exception:  # noqa: BLE001 - a header getaddresses cannot read: nothing usable in it
        return "", ""
    for name, address in pairs:
        if "@" in address:
            return name.strip(), address.strip().lower()
    return "", ""


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    # A Date without a zone ("-0000" or none at all) is read as UTC, which RFC 5322 says "-0000" means.
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


# --- the body --------------------------------------------------------------------------------------------------------

def _body_text(message: EmailMessage) -> str:
    """The best text/plain part; else the text of the best text/html part; else the payload decoded leniently."""
    for preference in (("plain",), ("html",)):
        try:
            part = message.get_body(preferencelist=preference)
        except Exception:  # noqa: BLE001 - a broken MIME structure: try the next way of reading it
            part = None
        if part is None:
            continue
        text = _part_text(part)
        if text is None:
            continue
        return _clean(html_to_text(text, keep_quotes=True) if preference == ("html",) else text).strip()
    if message.is_multipart():
        return ""
    payload = message.get_payload(decode=True)
    return _clean(payload.decode("utf-8", errors="replace")).strip() if isinstance(payload, bytes) else ""


def _part_text(part: EmailMessage) -> str | None:
    try:
        content = part.get_content()
        return content if isinstance(content, str) else None
    except Exception:  # noqa: BLE001 - unknown charset or broken transfer encoding: decode the bytes leniently
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            return None
        charset = part.get_content_charset() or "utf-8"
        try:
            return payload.decode(charset, errors="replace")
        except LookupError:
            return payload.decode("utf-8", errors="replace")


def _clean(text: str) -> str:
    # PostgreSQL text cannot hold NUL characters; garbage bytes often contain them.
    return text.replace("\x00", "")
