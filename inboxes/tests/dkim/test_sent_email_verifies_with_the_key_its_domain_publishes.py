from inboxes.models import OutboundMessage
from inboxes.sending import send_email
from inboxes.tests.conftest import dkim_verifies


def test_sent_email_verifies_with_the_key_its_domain_publishes(smtp_server, dkim_dns, make_inbox, sender):
    """A receiver looks the key up in DNS at the selector REX published, and the signature over what it got holds."""
    server = smtp_server()
    inbox = make_inbox(smtp_port=server.port)
    dkim_dns.publish(inbox.domain)  # generates the domain's key, as the first publish does in production

    message = send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Quick question, Bob",
                         body="Hi Bob,\n\nWould a short call next week be useful?", idempotency_key="dkim-1")

    assert message.status == OutboundMessage.Status.SENT
    [received] = server.messages
    assert received.dkim_verified(dkim_dns.dnsfunc)
    assert dkim_verifies(received.raw, inbox.domain)  # the helper without DNS agrees

    # One signature, ours: the domain and selector the record lives at, the algorithm and canonicalization chosen.
    assert len(received.message.get_all("DKIM-Signature")) == 1
    tags = received.dkim_tags()
    assert tags["d"] == inbox.domain.name
    assert tags["s"] == inbox.domain.dkim_selector
    assert tags["a"] == "rsa-sha256"
    assert tags["c"] == "relaxed/relaxed"
    signed = tags["h"].lower().split(":")
    for header in ("from", "to", "subject", "date", "message-id", "list-unsubscribe", "list-unsubscribe-post",
                   "mime-version", "content-type"):
        assert header in signed, header
    # Absent from a first message: a thread's headers are signed only when the message has them.
    assert "in-reply-to" not in signed and "references" not in signed
    assert "x-rex-outbound-id" not in signed
