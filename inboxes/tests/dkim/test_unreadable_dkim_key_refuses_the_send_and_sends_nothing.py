import pytest

from core.crypto import encrypt
from domains.models import Domain
from inboxes.models import InboxDay, OutboundMessage
from inboxes.sending import failure_is_recoverable, send_email
from inboxes.transports import TransportError

NOT_A_KEY = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n"


# A login over plain SMTP to 127.0.0.1 is what lets the test see that not even a login happened.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("undecryptable", [True, False], ids=["cannot-be-decrypted", "decrypts-to-no-key"])
def test_unreadable_dkim_key_refuses_the_send_and_sends_nothing(smtp_server, make_inbox, sender, undecryptable):
    """Unsigned mail from a domain that publishes a key fails DMARC everywhere: better not to send it at all."""
    server = smtp_server(credentials={"jane@relay.example": "s3cret"})
    inbox = make_inbox(smtp_port=server.port, smtp_username="jane@relay.example", password="s3cret")
    stored = "not-a-fernet-token" if undecryptable else encrypt(NOT_A_KEY)
    Domain.objects.filter(pk=inbox.domain_id).update(dkim_private_key_encrypted=stored)

    with pytest.raises(TransportError) as raised:
        send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                   idempotency_key="bad-key")

    assert raised.value.recoverable is False and raised.value.outcome_unknown is False
    assert "DKIM key" in str(raised.value) and inbox.domain.name in str(raised.value)
    assert "bm90IGEga2V5" not in str(raised.value)  # never the stored text
    # Found before connecting: no login, no message.
    assert server.auth_attempts == [] and server.messages == []
    message = OutboundMessage.objects.get(idempotency_key="bad-key")
    assert message.status == OutboundMessage.Status.FAILED and not failure_is_recoverable(message)
    assert InboxDay.objects.get(inbox=inbox).sent == 0  # the slot went back
