"""Failures other than a wrong password are recorded on the inbox the same way: nothing listening, plain IMAP to
another machine (the password would cross the network in clear), no IMAP host, and a password no key decrypts."""

from __future__ import annotations

import pytest

from ops.net import free_port
from replies.imap import PollError, poll_inbox
from replies.models import MailboxCursor


def failure(inbox) -> str:
    with pytest.raises(PollError) as raised:
        poll_inbox(inbox)
    cursor = MailboxCursor.objects.get(inbox=inbox, folder="INBOX")
    assert cursor.last_error == raised.value.reason and cursor.last_error_at is not None
    return raised.value.reason


def test_connection_refused_is_recorded(make_imap_inbox):
    inbox = make_imap_inbox(imap_port=free_port())
    assert failure(inbox) == f"cannot connect to 127.0.0.1:{inbox.imap_port}: Connection refused"


def test_plain_imap_to_another_host_is_refused_before_connecting(make_imap_inbox):
    inbox = make_imap_inbox(imap_host="imap.client.example")
    assert "'none' is allowed only for a server on this host" in failure(inbox)


def test_an_inbox_without_an_imap_host_is_a_clear_error(make_imap_inbox):
    assert failure(make_imap_inbox(imap_host="")) == "no IMAP host is configured"


def test_an_unreadable_password_is_recorded(make_imap_inbox):
    inbox = make_imap_inbox()
    inbox.password_encrypted = "gAAAAAnot-a-token-any-key-reads"
    inbox.save()
    assert "password cannot be decrypted" in failure(inbox)
