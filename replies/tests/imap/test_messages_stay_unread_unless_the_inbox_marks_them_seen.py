"""Reading a reply never marks it read on the server (the person who also reads the mailbox still sees it new),
unless the inbox is set to ``imap_mark_seen``."""

from __future__ import annotations

from replies.imap import poll_inbox
from replies.tests.imap.mail import ENGLISH_REPLY, reply

SEEN = b"\\Seen"


def test_messages_stay_unread_by_default(make_imap_inbox, dovecot):
    inbox = make_imap_inbox()
    uid = dovecot.append(inbox.imap_username, reply(to=inbox.address, body=ENGLISH_REPLY))

    assert poll_inbox(inbox).stored == 1

    assert SEEN not in dovecot.flags(inbox.imap_username, uid)


def test_messages_are_marked_read_when_the_inbox_says_so(make_imap_inbox, dovecot):
    inbox = make_imap_inbox(imap_mark_seen=True)
    uid = dovecot.append(inbox.imap_username, reply(to=inbox.address, body=ENGLISH_REPLY))

    assert poll_inbox(inbox).stored == 1

    assert SEEN in dovecot.flags(inbox.imap_username, uid)


def test_a_message_already_read_by_a_person_is_still_stored_and_stays_read(make_imap_inbox, dovecot):
    inbox = make_imap_inbox()
    uid = dovecot.append(inbox.imap_username, reply(to=inbox.address, body=ENGLISH_REPLY), flags=[SEEN])

    assert poll_inbox(inbox).stored == 1

    assert SEEN in dovecot.flags(inbox.imap_username, uid)
