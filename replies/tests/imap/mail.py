"""Messages as a prospect's mail client would send them back, as raw bytes for ``dovecot.append``."""

from __future__ import annotations

import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


def reply(*, to: str, body: str, subject: str = "Re: Quick question", sender: str = "Bob Smith <bob@client.example>",
          message_id: str | None = None, in_reply_to: str = "<outbound-1@send1.test.example>",
          sent_at: datetime | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(sent_at or datetime(2025, 3, 4, 9, 30, tzinfo=UTC))
    message["Message-ID"] = message_id or make_msgid(domain="client.example")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body)
    # CRLF line ends, as mail travels and as an IMAP server keeps it.
    return message.as_bytes(policy=email.policy.SMTP)


ENGLISH_REPLY = (
    "Sounds good, let's talk on Tuesday.\n\nBob\n\n"
    "On Mon, 3 Mar 2025 at 10:00, Jane Doe <jane@send1.test.example> wrote:\n"
    "> Hi Bob,\n> Worth a chat?\n"
)
