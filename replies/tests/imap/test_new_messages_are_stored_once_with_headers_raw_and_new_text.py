"""A reply in the inbox is stored once: the raw bytes as received, its headers, and the reply's own words."""

from __future__ import annotations

from datetime import UTC, datetime

from replies.imap import poll_inbox
from replies.models import InboundMessage, MailboxCursor
from replies.tests.imap.mail import ENGLISH_REPLY, reply


def test_new_messages_are_stored_once_with_headers_raw_and_new_text(make_imap_inbox, dovecot):
    inbox = make_imap_inbox()
    raw = reply(to=inbox.address, body=ENGLISH_REPLY, message_id="<r1@client.example>",
                in_reply_to="<outbound-1@send1.test.example>")
    uid = dovecot.append(inbox.imap_username, raw)

    report = poll_inbox(inbox)

    assert (report.fetched, report.stored, report.error) == (1, 1, "")
    stored = InboundMessage.objects.get()
    assert stored.pk == report.new_message_ids[0]
    assert bytes(stored.raw) == raw
    assert (stored.organization_id, stored.inbox_id, stored.folder, stored.uid) == (
        inbox.organization_id, inbox.pk, "INBOX", uid)
    assert stored.uidvalidity == dovecot.uidvalidity(inbox.imap_username)
    assert stored.message_id == "<r1@client.example>"
    assert stored.in_reply_to == stored.references == "<outbound-1@send1.test.example>"
    assert (stored.from_address, stored.from_name) == ("bob@client.example", "Bob Smith")
    assert stored.to_address == inbox.address
    assert stored.subject == "Re: Quick question"
    assert stored.sent_at == datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
    assert stored.body_text.startswith("Sounds good") and "> Worth a chat?" in stored.body_text
    assert stored.new_text == "Sounds good, let's talk on Tuesday.\n\nBob"

    cursor = MailboxCursor.objects.get(inbox=inbox, folder="INBOX")
    assert (cursor.uidvalidity, cursor.last_uid, cursor.messages_read) == (stored.uidvalidity, uid, 1)
    assert cursor.last_polled_at is not None and cursor.last_error == ""
