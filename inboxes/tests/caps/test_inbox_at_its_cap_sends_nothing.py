import pytest

from inboxes.caps import CapReached
from inboxes.models import InboxDay, OutboundMessage
from inboxes.sending import send_email


def test_inbox_at_its_cap_sends_nothing(smtp_server, make_inbox, sender):
    server = smtp_server()
    inbox = make_inbox(smtp_port=server.port, daily_cap=1)
    send_email(organization=sender, inbox=inbox, to="ann@client.example", subject="Hello", body="Hi",
               idempotency_key="cap-1")

    with pytest.raises(CapReached) as raised:
        send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                   idempotency_key="cap-2")

    assert raised.value.scope == "inbox"
    assert len(server.messages) == 1
    # No row is left for the refused key: tomorrow's run reserves afresh.
    assert not OutboundMessage.objects.filter(idempotency_key="cap-2").exists()
    assert InboxDay.objects.get(inbox=inbox).sent == 1
