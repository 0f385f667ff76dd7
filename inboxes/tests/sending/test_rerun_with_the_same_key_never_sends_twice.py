from inboxes.models import InboxDay, OutboundMessage
from inboxes.sending import send_email


def test_rerun_with_the_same_key_never_sends_twice(smtp_server, make_inbox, sender):
    server = smtp_server()
    inbox = make_inbox(smtp_port=server.port)

    first = send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                       idempotency_key="campaign-1:contact-7")
    second = send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                        idempotency_key="campaign-1:contact-7")

    assert first.pk == second.pk
    assert second.status == OutboundMessage.Status.SENT
    assert len(server.messages) == 1
    assert OutboundMessage.objects.filter(idempotency_key="campaign-1:contact-7").count() == 1
    assert InboxDay.objects.get(inbox=inbox).sent == 1  # the re-run took no slot either
