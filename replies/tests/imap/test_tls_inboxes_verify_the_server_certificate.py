"""``imap_security`` "ssl" (implicit TLS) and "starttls" read the inbox over TLS with the server's certificate
verified, against ``REX_IMAP_CA_FILE`` here (a private CA); a certificate the client does not trust is this inbox's
error, never a silent fallback to an unverified connection."""

from __future__ import annotations

import pytest

from replies.imap import PollError, poll_inbox
from replies.models import MailboxCursor
from replies.tests.imap.mail import ENGLISH_REPLY, reply


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_inboxes_are_read_with_the_certificate_verified(make_imap_inbox, dovecot_tls, settings, security):
    settings.REX_IMAP_CA_FILE = str(dovecot_tls.ca_file)
    port = dovecot_tls.tls_port if security == "ssl" else dovecot_tls.port
    inbox = make_imap_inbox(server=dovecot_tls, imap_security=security, imap_port=port, imap_host="localhost")
    dovecot_tls.append(inbox.imap_username, reply(to=inbox.address, body=ENGLISH_REPLY))

    assert poll_inbox(inbox).stored == 1


def test_an_untrusted_certificate_is_recorded_on_the_inbox(make_imap_inbox, dovecot_tls, settings):
    settings.REX_IMAP_CA_FILE = ""   # the system's store, which does not know the test CA
    inbox = make_imap_inbox(server=dovecot_tls, imap_security="ssl", imap_port=dovecot_tls.tls_port,
                            imap_host="localhost")

    with pytest.raises(PollError) as raised:
        poll_inbox(inbox)

    assert raised.value.reason.startswith(f"TLS with localhost:{dovecot_tls.tls_port} failed: CERTIFICATE_VERIFY_FAILED")
    assert MailboxCursor.objects.get(inbox=inbox).last_error == raised.value.reason
