"""Small readers over a parsed ``EmailMessage`` shared by the machine-mail rules: its own text, its parts, headers.

Pure: no Django, no I/O. Every reader tolerates broken MIME (a bounce is often the least well-formed mail a server
writes), returning "" or nothing rather than raising.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage, Message
from email.parser import HeaderParser
from email.policy import default as default_policy

from replies.triage.text import html_to_text


def header(msg: Message, name: str) -> str:
    """A header's decoded value, "" when missing or undecodable."""
    try:
        value = msg.get(name)
    except Exception:  # noqa: BLE001 - a malformed header must not stop triage
        return ""
    return str(value).strip() if value is not None else ""


def own_parts(msg: Message) -> Iterator[Message]:
    """The message's parts without descending into attached messages (a bounce's returned mail is not its text)."""
    stack: list[Message] = [msg]
    while stack:
        part = stack.pop(0)
        ctype = part.get_content_type()
        if part.is_multipart() and not ctype.startswith("message/"):
            payload = part.get_payload()
            stack[0:0] = payload if isinstance(payload, list) else []
            continue
        yield part


def part_text(part: Message) -> str:
    """A text part's decoded content ("" for anything else or on a decoding error)."""
    try:
        if isinstance(part, EmailMessage):
            content = part.get_content()
        else:
            content = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8", "replace")
    except Exception:  # noqa: BLE001 - unknown charsets, broken base64: fall back to the raw payload
        payload = part.get_payload()
        content = payload if isinstance(payload, str) else ""
    return content if isinstance(content, str) else ""


def message_text(msg: Message) -> str:
    """The message's own readable text: its text/plain parts, or its HTML flattened when it has no plain text."""
    plain, markup = [], []
    for part in own_parts(msg):
        ctype = part.get_content_type()
        if ctype == "text/plain":
            plain.append(part_text(part))
        elif ctype == "text/html":
            markup.append(html_to_text(part_text(part), keep_quotes=True))
    return "\n".join(plain or markup)


def attached_headers(part: Message) -> Message | None:
    """The header block of a returned / reported message: a message/rfc822 part or a text/rfc822-headers part."""
    ctype = part.get_content_type()
    if ctype == "message/rfc822":
        payload = part.get_payload()
        if isinstance(payload, list) and payload:
            return payload[0]
        return None
    if ctype == "text/rfc822-headers":
        return HeaderParser(policy=default_policy).parsestr(part_text(part).lstrip())
    return None


def field_blocks(part: Message) -> list[Message]:
    """The header blocks of a message/delivery-status or message/feedback-report part."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [block for block in payload if isinstance(block, Message)]
    if isinstance(payload, str):
        # Some parsers leave the part as text (e.g. a wrong transfer encoding): read its blocks ourselves.
        return [HeaderParser(policy=default_policy).parsestr(chunk.strip() + "\n")
                for chunk in re.split(r"\n\s*\n", payload.replace("\r\n", "\n")) if chunk.strip()]
    return []


def bare_message_id(value: str) -> str:
    """A Message-ID as ``<local@domain>`` (the angle brackets kept, surrounding text dropped)."""
    match = re.search(r"<[^<>\s]+@[^<>\s]+>", value)
    return match.group(0) if match else value.strip()
