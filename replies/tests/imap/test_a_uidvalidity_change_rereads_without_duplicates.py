"""When the server's UIDVALIDITY of a folder changes (a rebuilt mailbox, a migration), the old UIDs mean nothing:
the folder is read again from the start, and messages already stored are recognised and skipped, with or without
a Message-ID."""

from __future__ import annotations

from replies.imap import poll_inbox
from replies.models import InboundMessage, MailboxCursor
from replies.tests.imap.mail import ENGLISH_REPLY, reply

NO_MESSAGE_ID = b"From: someone@client.example\r\nSubject: no id\r\n\r\nA message without a Message-ID.\r\n"


def test_a_uidvalidity_change_rereads_without_duplicates(make_imap_inbox, dovecot):
    inbox = make_imap_inbox()
    user = inbox.imap_username
    dovecot.append(user, reply(to=inbox.address, body=ENGLISH_REPLY, message_id="<one@client.example>"))
    dovecot.append(user, NO_MESSAGE_ID)
    assert poll_inbox(inbox).stored == 2
    before = MailboxCursor.objects.get(inbox=inbox).uidvalidity
    dovecot.set_uidvalidity(user, before + 1000)
    dovecot.append(user, reply(to=inbox.address, body="And one more thing.", message_id="<two@client.example>"))

    report = poll_inbox(inbox)

    [folder] = report.folders
    assert folder.reread is True
    assert (folder.fetched, folder.stored, folder.skipped) == (3, 1, 2)
    assert InboundMessage.objects.filter(inbox=inbox).count() == 3
    assert InboundMessage.objects.get(pk=report.new_message_ids[0]).message_id == "<two@client.example>"
    cursor = MailboxCursor.objects.get(inbox=inbox)
    assert cursor.uidvalidity == before + 1000
    assert poll_inbox(inbox).fetched == 0
