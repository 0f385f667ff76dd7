from inboxes.models import InboxDay, OutboundMessage, Suppression
from inboxes.sending import send_email
from inboxes.suppression import suppress


def test_suppressed_contact_is_not_sent_and_takes_no_slot(smtp_server, make_inbox, make_contact, sender):
    server = smtp_server()
    inbox = make_inbox(smtp_port=server.port)
    contact = make_contact("bob@client.example", phone="+14155550123")
    # The contact texted STOP: the phone was suppressed and, the contact being known, the email with it.
    suppress(sender, phone="+1 415 555 0123", contact=contact, reason=Suppression.Reason.SMS_STOP, source="sms")

    message = send_email(organization=sender, inbox=inbox, to="BOB@client.example", subject="Hello", body="Hi",
                         idempotency_key="suppressed-1", contact=contact)

    assert message.status == OutboundMessage.Status.SUPPRESSED
    assert message.slot_day is None
    assert server.messages == []
    assert not InboxDay.objects.filter(inbox=inbox, sent__gt=0).exists()
