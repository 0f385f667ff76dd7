import logging

from inboxes.models import OutboundMessage
from inboxes.sending import send_email


def test_domain_without_a_key_sends_unsigned_and_logs_a_warning(smtp_server, make_inbox, sender, caplog):
    """A domain whose records were never published has no key: the mail goes out, unsigned, and ops is told."""
    server = smtp_server()
    inbox = make_inbox(smtp_port=server.port)
    assert not inbox.domain.dkim_private_key_encrypted

    with caplog.at_level(logging.WARNING, logger="inboxes.dkim"):
        first = send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="One", body="Hi",
                           idempotency_key="unsigned-1")
        second = send_email(organization=sender, inbox=inbox, to="carol@client.example", subject="Two", body="Hi",
                            idempotency_key="unsigned-2")

    assert first.status == second.status == OutboundMessage.Status.SENT
    assert [m.message.get("DKIM-Signature") for m in server.messages] == [None, None]
    warnings = [r for r in caplog.records if r.name == "inboxes.dkim"]
    assert len(warnings) == 2  # one per message
    assert all(r.levelno == logging.WARNING and inbox.domain.name in r.getMessage() for r in warnings)
