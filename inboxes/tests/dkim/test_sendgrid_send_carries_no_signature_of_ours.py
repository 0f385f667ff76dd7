from core.crypto import encrypt
from domains.models import Domain
from inboxes.models import OutboundMessage
from inboxes.sending import send_email


def test_sendgrid_send_carries_no_signature_of_ours(fake_sendgrid, make_inbox, sender):
    """SendGrid signs with its authenticated domain's key; a header of ours could only be broken by its rewriting.

    Even an unreadable REX key does not matter on this path: it is never used.
    """
    inbox = make_inbox(provider="sendgrid", password="SG.inbox-own-key")
    Domain.objects.filter(pk=inbox.domain_id).update(dkim_private_key_encrypted=encrypt("not a key"))

    message = send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello Bob",
                         body="Hi Bob", idempotency_key="sg-dkim")

    assert message.status == OutboundMessage.Status.SENT
    [request] = fake_sendgrid.requests
    assert not any(name.lower() == "dkim-signature" for name in request.body.get("headers", {}))
