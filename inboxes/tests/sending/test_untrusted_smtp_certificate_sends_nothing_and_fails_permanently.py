import pytest

from inboxes.models import InboxDay, OutboundMessage
from inboxes.sending import failure_is_recoverable, send_email
from inboxes.transports import TransportError


def test_untrusted_smtp_certificate_sends_nothing_and_fails_permanently(smtp_server, tls_certificates, make_inbox,
                                                                        sender, settings):
    """A certificate we do not trust is a misconfiguration or an interception: no password, no message, no retry."""
    server_certs = tls_certificates("relay")
    settings.REX_SMTP_CA_FILE = str(tls_certificates("someone-else").ca)
    server = smtp_server(tls=server_certs, credentials={"jane@relay.example": "s3cret"})
    inbox = make_inbox(smtp_port=server.port, smtp_security="starttls", smtp_username="jane@relay.example",
                       password="s3cret")

    with pytest.raises(TransportError) as raised:
        send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                   idempotency_key="untrusted")

    assert raised.value.recoverable is False
    assert "not trusted" in str(raised.value)
    assert server.messages == [] and server.auth_attempts == []
    message = OutboundMessage.objects.get(idempotency_key="untrusted")
    assert message.status == OutboundMessage.Status.FAILED
    assert not failure_is_recoverable(message)
    # Nothing left the building: the slot went back to today's volume.
    assert InboxDay.objects.get(inbox=inbox).sent == 0

    # A re-run does not try again.
    again = send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                       idempotency_key="untrusted")
    assert again.status == OutboundMessage.Status.FAILED
    assert server.messages == []
