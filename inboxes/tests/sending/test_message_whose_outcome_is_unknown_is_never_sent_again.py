import pytest

from inboxes.models import InboxDay, OutboundMessage
from inboxes.sending import send_email
from inboxes.transports import TransportError


def test_message_whose_outcome_is_unknown_is_never_sent_again(smtp_server, make_inbox, sender, settings):
    """The server got the message but answered too late: it may be in the recipient's inbox, so no second try."""
    settings.REX_SMTP_TIMEOUT_SECONDS = 0.5
    server = smtp_server(data_delay=3)
    inbox = make_inbox(smtp_port=server.port)

    with pytest.raises(TransportError) as raised:
        send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                   idempotency_key="slow")
    assert raised.value.outcome_unknown and not raised.value.recoverable

    message = OutboundMessage.objects.get(idempotency_key="slow")
    assert message.status == OutboundMessage.Status.SENDING
    assert message.error.startswith("outcome unknown: ")
    assert InboxDay.objects.get(inbox=inbox).sent == 1  # it may have gone out: the slot stays taken

    again = send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                       idempotency_key="slow")
    assert again.status == OutboundMessage.Status.SENDING
    assert len(server.messages) == 1
