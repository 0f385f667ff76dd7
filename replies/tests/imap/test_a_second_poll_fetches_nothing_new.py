"""Polling again finds nothing new: the cursor's last UID keeps the IMAP "UID n:*" quirk (the newest message
matches even when its UID is below n) from fetching the last message again."""

from __future__ import annotations

from replies.imap import poll_inbox
from replies.models import InboundMessage
from replies.tests.imap.mail import ENGLISH_REPLY, reply


def test_a_second_poll_fetches_nothing_new(make_imap_inbox, dovecot):
    inbox = make_imap_inbox()
    for n in range(3):
        dovecot.append(inbox.imap_username, reply(to=inbox.address, body=ENGLISH_REPLY, message_id=f"<r{n}@client.example>"))
    assert poll_inbox(inbox).stored == 3

    again = poll_inbox(inbox)

    assert (again.fetched, again.stored, again.new_message_ids) == (0, 0, [])
    assert InboundMessage.objects.count() == 3
