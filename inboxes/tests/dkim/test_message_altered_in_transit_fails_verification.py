import pytest

from inboxes.sending import send_email


@pytest.mark.parametrize(("what", "original", "altered"), [
    ("a word of the body", b"Would a short call", b"Would a long call"),
    ("the subject", b"Subject: Quick question", b"Subject: Urgent question"),
    ("the sender", b"Jane Doe", b"Jane Dough"),
])
def test_message_altered_in_transit_fails_verification(smtp_server, dkim_dns, make_inbox, sender, what, original,
                                                       altered):
    server = smtp_server()
    inbox = make_inbox(smtp_port=server.port)
    dkim_dns.publish(inbox.domain)
    send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Quick question",
               body="Hi Bob,\n\nWould a short call next week be useful?", idempotency_key="dkim-altered")
    [received] = server.messages
    assert received.dkim_verified(dkim_dns.dnsfunc)

    assert original in received.raw, what
    tampered = received.raw.replace(original, altered, 1)

    assert not type(received)(received.mail_from, received.rcpt_tos, tampered, received.over_tls,
                              received.login).dkim_verified(dkim_dns.dnsfunc), what
