"""A local SMTP server that keeps every message it receives as an .eml file (the embedded stack's outbox).

`manage.py rex up` starts it and points REX_MAIL_SINK at it, so a demo or a staging stack delivers every
email to a real SMTP server on 127.0.0.1 — headers, footer and all — and never to the internet. The newest
messages are listed by `manage.py rex_mail_sink --list`.
"""

from __future__ import annotations

import email
import email.policy
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session


class MaildirHandler:
    """Writes each message, as received, to ``<directory>/<timestamp>-<uuid>.eml``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        header = f"X-Rex-Envelope-From: {envelope.mail_from}\r\nX-Rex-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
        content = envelope.original_content or envelope.content
        data = content if isinstance(content, bytes) else content.encode()
        (self.directory / name).write_bytes(header.encode() + data)
        return "250 Message accepted for delivery"


def start_sink(directory: Path, host: str = "127.0.0.1", port: int = 2525) -> Controller:
    controller = Controller(MaildirHandler(directory), hostname=host, port=port)
    controller.start()
    return controller


@dataclass
class SunkMessage:
    path: Path
    envelope_to: str
    subject: str
    sender: str
    list_unsubscribe: str


def read_sink(directory: Path, limit: int = 20) -> list[SunkMessage]:
    """The newest messages in the sink, newest first."""
    messages = []
    for path in sorted(directory.glob("*.eml"), reverse=True)[:limit]:
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        messages.append(SunkMessage(path, str(parsed.get("X-Rex-Envelope-To", "")), str(parsed.get("Subject", "")),
                                    str(parsed.get("From", "")), str(parsed.get("List-Unsubscribe", ""))))
    return messages
