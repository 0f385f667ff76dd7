import pytest

from inboxes.models import InboxDay, OutboundMessage
from inboxes.sending import failure_is_recoverable, send_email
from inboxes.transports import TransportError


@pytest.mark.parametrize("status, recoverable", [(500, True), (503, True), (429, True), (400, False), (401, False)])
def test_sendgrid_5xx_is_recoverable_and_4xx_is_not(status, recoverable, fake_sendgrid, make_inbox, sender):
    inbox = make_inbox(provider="sendgrid")
    fake_sendgrid.respond(status)

    with pytest.raises(TransportError) as raised:
        send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                   idempotency_key="sg-err")

    assert raised.value.recoverable is recoverable
    assert f"HTTP {status}" in str(raised.value) and f"scripted {status}" in str(raised.value)
    message = OutboundMessage.objects.get(idempotency_key="sg-err")
    assert message.status == OutboundMessage.Status.FAILED
    assert failure_is_recoverable(message) is recoverable
    assert InboxDay.objects.get(inbox=inbox).sent == 0  # SendGrid did not take it: the slot is given back

    # The next run tries a recoverable failure again (with a new slot) and leaves a permanent one alone.
    again = send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                       idempotency_key="sg-err")
    assert len(fake_sendgrid.requests) == (2 if recoverable else 1)
    assert again.status == (OutboundMessage.Status.SENT if recoverable else OutboundMessage.Status.FAILED)
    assert InboxDay.objects.get(inbox=inbox).sent == (1 if recoverable else 0)
