from email.utils import make_msgid

from inboxes.models import InboxDay, OutboundMessage, Suppression
from inboxes.sending import send_email
from inboxes.suppression import suppress


def test_pending_message_whose_recipient_unsubscribed_meanwhile_is_not_sent(smtp_server, make_inbox, sender):
    server = smtp_server()
    inbox = make_inbox(smtp_port=server.port)
    day = inbox.reserve_send()
    OutboundMessage.objects.create(organization=sender, inbox=inbox, idempotency_key="left-pending",
                                   to_address="bob@client.example", subject="Hello", slot_day=day,
                                   message_id=make_msgid(domain=inbox.domain.name))
    suppress(sender, email="bob@client.example", reason=Suppression.Reason.UNSUBSCRIBE, source="page")

    message = send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                         idempotency_key="left-pending")

    assert message.status == OutboundMessage.Status.SUPPRESSED
    assert server.messages == []
    assert InboxDay.objects.get(inbox=inbox, day=day).sent == 0  # the slot it held is given back
