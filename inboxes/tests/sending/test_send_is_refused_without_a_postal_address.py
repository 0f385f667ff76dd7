import pytest

from inboxes.models import InboxDay, OutboundMessage
from inboxes.sending import send_email


def test_send_is_refused_without_a_postal_address(smtp_server, make_inbox, sender):
    server = smtp_server()
    inbox = make_inbox(smtp_port=server.port)
    sender.postal_address = "   "
    sender.save()

    with pytest.raises(ValueError, match="no postal address"):
        send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                   idempotency_key="no-address")

    assert server.messages == []
    assert not OutboundMessage.objects.exists()
    assert not InboxDay.objects.filter(sent__gt=0).exists()
