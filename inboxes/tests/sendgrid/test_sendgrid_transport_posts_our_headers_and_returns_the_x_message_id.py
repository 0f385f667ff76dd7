from inboxes.models import OutboundMessage
from inboxes.sending import send_email
from inboxes.tests.conftest import POSTAL_ADDRESS


def test_sendgrid_transport_posts_our_headers_and_returns_the_x_message_id(fake_sendgrid, make_inbox, sender):
    inbox = make_inbox(provider="sendgrid", password="SG.inbox-own-key")

    message = send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello Bob",
                         body="Hi Bob", idempotency_key="sg-1")

    assert message.status == OutboundMessage.Status.SENT
    assert message.transport == "sendgrid"
    assert message.provider_message_id == fake_sendgrid.message_ids[0]
    [request] = fake_sendgrid.requests
    assert request.path == "/v3/mail/send"
    assert request.headers["Authorization"] == "Bearer SG.inbox-own-key"  # the inbox's key, decrypted
    body = request.body
    assert body["from"] == {"email": inbox.address, "name": "Jane Doe"}
    assert body["subject"] == "Hello Bob"
    assert body["personalizations"][0]["to"] == [{"email": "bob@client.example"}]
    headers = body["headers"]
    assert headers["List-Unsubscribe"].startswith("<https://rex.test.example/u/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Message-ID"] == message.message_id
    assert "X-REX-Outbound-ID" not in headers  # it travels as a custom arg, echoed by every webhook event
    assert body["custom_args"] == {"rex_outbound_id": str(message.pk)}
    contents = {c["type"]: c["value"] for c in body["content"]}
    link = headers["List-Unsubscribe"][1:-1]
    assert link in contents["text/plain"] and POSTAL_ADDRESS in contents["text/plain"]
    assert link in contents["text/html"] and POSTAL_ADDRESS in contents["text/html"]
