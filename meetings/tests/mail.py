"""Reading what the test SMTP server received: the ICS invitations among the messages, parsed by icalendar."""

from __future__ import annotations

from email.message import EmailMessage

import icalendar


def invitations(messages: list) -> list[tuple[str, icalendar.Calendar, EmailMessage]]:
    """(recipient, the text/calendar part parsed, the whole email) of each received message carrying one."""
    found = []
    for received in messages:
        parsed = received.message
        for part in parsed.walk():
            if part.get_content_type() == "text/calendar":
                found.append((received.rcpt_tos[0], icalendar.Calendar.from_ical(part.get_content()), parsed))
                break
    return found
