"""One inbox that cannot log in is that inbox's problem: the reason goes on its cursor, it raises ``PollError`` for
that inbox alone, and ``poll_all`` still reads the others. A later good poll clears the error."""

from __future__ import annotations

import pytest

from replies.imap import PollError, poll_all, poll_inbox
from replies.models import InboundMessage, MailboxCursor
from replies.tests.imap.mail import ENGLISH_REPLY, reply


def test_a_wrong_password_is_recorded_and_the_other_inbox_is_still_read(sender, make_imap_inbox, dovecot):
    broken = make_imap_inbox(imap_password="not-the-password")
    working = make_imap_inbox()
    dovecot.append(working.imap_username, reply(to=working.address, body=ENGLISH_REPLY))

    reports = {report.address: report for report in poll_all(sender)}

    assert "authentication refused" in reports[broken.address].error
    assert broken.imap_username in reports[broken.address].error
    assert (reports[working.address].error, reports[working.address].stored) == ("", 1)
    cursor = MailboxCursor.objects.get(inbox=broken)
    assert "AUTHENTICATIONFAILED" in cursor.last_error and cursor.last_error_at is not None
    assert InboundMessage.objects.filter(inbox=working).count() == 1


def test_the_broken_inbox_raises_poll_error_alone_and_a_good_poll_clears_it(make_imap_inbox, dovecot):
    inbox = make_imap_inbox(imap_password="wrong")
    with pytest.raises(PollError) as raised:
        poll_inbox(inbox)
    assert raised.value.report.address == inbox.address and "authentication refused" in str(raised.value)

    inbox.set_password(f"secret-{inbox.imap_username}")
    inbox.save()
    assert poll_inbox(inbox).error == ""

    cursor = MailboxCursor.objects.get(inbox=inbox)
    assert (cursor.last_error, cursor.last_error_at) == ("", None)
