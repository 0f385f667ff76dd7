from email.utils import make_msgid

from inboxes.models import InboxDay, OutboundMessage
from inboxes.sending import send_email


def test_pending_message_left_by_a_crash_is_sent_once_on_rerun(smtp_server, make_inbox, sender):
    """A worker died after storing the key and taking the slot but before handing the message over."""
    server = smtp_server()
    inbox = make_inbox(smtp_port=server.port)
    day = inbox.reserve_send()
    OutboundMessage.objects.create(organization=sender, inbox=inbox, idempotency_key="crashed",
                                   to_address="bob@client.example", subject="Hello", slot_day=day,
                                   message_id=make_msgid(domain=inbox.domain.name))

    message = send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                         idempotency_key="crashed")
    again = send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                       idempotency_key="crashed")

    assert message.status == again.status == OutboundMessage.Status.SENT
    assert len(server.messages) == 1
    assert InboxDay.objects.get(inbox=inbox, day=day).sent == 1  # the slot the crashed run took, no other
