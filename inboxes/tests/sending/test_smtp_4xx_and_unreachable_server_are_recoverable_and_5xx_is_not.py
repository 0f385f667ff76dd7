import pytest

from inboxes.models import InboxDay, OutboundMessage
from inboxes.sending import failure_is_recoverable, send_email
from inboxes.transports import TransportError
from ops.net import free_port


# A plain-SMTP test server that asks for AUTH: aiosmtpd warns, rightly, and on purpose here.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("server_setup, recoverable, says", [
    ({"rcpt_reply": "451 4.7.1 Greylisted, try again later"}, True, "451"),
    ({"rcpt_reply": "550 5.1.1 No such user"}, False, "550"),
    ({"credentials": {"jane@relay.example": "the right one"}}, False, "535"),  # a wrong password
    (None, True, "cannot connect"),  # nothing listens
])
def test_smtp_4xx_and_unreachable_server_are_recoverable_and_5xx_is_not(server_setup, recoverable, says,
                                                                        smtp_server, make_inbox, sender):
    port = smtp_server(**server_setup).port if server_setup is not None else free_port()
    needs_login = bool(server_setup and "credentials" in server_setup)
    inbox = make_inbox(smtp_port=port, smtp_username="jane@relay.example",
                       password="a wrong one" if needs_login else "")

    with pytest.raises(TransportError) as raised:
        send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                   idempotency_key="refused")

    assert raised.value.recoverable is recoverable
    assert says in str(raised.value)
    assert "a wrong one" not in str(raised.value)
    message = OutboundMessage.objects.get(idempotency_key="refused")
    assert message.status == OutboundMessage.Status.FAILED
    assert failure_is_recoverable(message) is recoverable
    assert InboxDay.objects.get(inbox=inbox).sent == 0  # refused or never connected: the slot is given back
