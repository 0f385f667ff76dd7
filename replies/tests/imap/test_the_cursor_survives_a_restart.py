"""The cursor is in the database, not in the poller: after a restart (a fresh Inbox object, a new connection) only
the messages that arrived since are fetched."""

from __future__ import annotations

from inboxes.models import Inbox
from replies.imap import poll_inbox
from replies.models import InboundMessage, MailboxCursor
from replies.tests.imap.mail import ENGLISH_REPLY, reply


def test_the_cursor_survives_a_restart(make_imap_inbox, dovecot):
    inbox = make_imap_inbox()
    for n in range(2):
        dovecot.append(inbox.imap_username, reply(to=inbox.address, body=ENGLISH_REPLY, message_id=f"<old{n}@c.example>"))
    assert poll_inbox(inbox).stored == 2
    newer = dovecot.append(inbox.imap_username, reply(to=inbox.address, body="Yes.", message_id="<new@c.example>"))

    restarted = poll_inbox(Inbox.objects.get(pk=inbox.pk))

    assert (restarted.fetched, restarted.stored) == (1, 1)
    assert InboundMessage.objects.get(pk=restarted.new_message_ids[0]).uid == newer
    assert MailboxCursor.objects.get(inbox=inbox).last_uid == newer
    assert InboundMessage.objects.filter(inbox=inbox).count() == 3


def test_batches_commit_as_they_go(make_imap_inbox, dovecot, settings):
    # Batches of two: every batch moves the cursor with the messages it stored, so a crash loses no work.
    settings.REX_IMAP_BATCH_SIZE = 2
    inbox = make_imap_inbox()
    uids = [dovecot.append(inbox.imap_username, reply(to=inbox.address, body="Hi", message_id=f"<b{n}@c.example>"))
            for n in range(5)]

    report = poll_inbox(inbox)

    assert (report.fetched, report.stored) == (5, 5)
    assert sorted(InboundMessage.objects.values_list("uid", flat=True)) == uids
    assert MailboxCursor.objects.get(inbox=inbox).last_uid == uids[-1]
