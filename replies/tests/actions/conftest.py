"""The sequence world of the campaigns tests (a real SMTP server, an active campaign, inboxes), and inbound
messages built as the IMAP poller stores them."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import pytest

from campaigns.tests.conftest import run_sequencer, sequence_world  # noqa: F401 - shared fixtures
from inboxes.tests.conftest import make_contact, make_inbox, sender, smtp_server  # noqa: F401
from replies.models import InboundMessage


@pytest.fixture
def inbound() -> Callable[..., InboundMessage]:
    """``inbound(world, from_, text, in_reply_to=…, category=…, details=…)``: a stored reply to the world's inbox."""

    def make(world: Any, from_: str, text: str, *, subject: str = "Re: hello", in_reply_to: str = "",
             references: str = "", category: str = "", details: dict | None = None, inbox: Any = None,
             headers: dict[str, str] | None = None) -> InboundMessage:
        inbox = inbox or world.inboxes[0]
        mail = EmailMessage()
        mail["From"] = from_
        mail["To"] = inbox.address
        mail["Subject"] = subject
        mail["Message-ID"] = make_msgid(domain="client.example")
        if in_reply_to:
            mail["In-Reply-To"] = in_reply_to
            mail["References"] = references or in_reply_to
        for name, value in (headers or {}).items():
            mail[name] = value
        mail.set_content(text)
        return InboundMessage.objects.create(
            organization=world.organization, inbox=inbox, folder="INBOX", raw=bytes(mail), message_id=mail["Message-ID"],
            in_reply_to=in_reply_to, references=mail.get("References", ""), from_address=from_.split("<")[-1].strip(">"),
            subject=subject, body_text=text, new_text=text, category=category, layer="rules" if category else "",
            details=details or {})

    return make
