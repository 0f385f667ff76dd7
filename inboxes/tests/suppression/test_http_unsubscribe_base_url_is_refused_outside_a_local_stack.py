import pytest

from inboxes.models import OutboundMessage
from inboxes.sending import send_email


def test_http_unsubscribe_base_url_is_refused_outside_a_local_stack(smtp_server, make_inbox, sender, settings):
    server = smtp_server()
    inbox = make_inbox(smtp_port=server.port)
    settings.DEBUG = False
    settings.REX_PUBLIC_BASE_URL = "http://rex.example.com"

    with pytest.raises(ValueError, match="must be https"):
        send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                   idempotency_key="http-base")
    assert server.messages == [] and not OutboundMessage.objects.exists()

    # A local stack has no certificate; links to this machine reach nobody outside anyway.
    settings.REX_PUBLIC_BASE_URL = "http://127.0.0.1:8000/"
    message = send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
                         idempotency_key="http-base")
    assert message.status == OutboundMessage.Status.SENT
    assert server.messages[0].message["List-Unsubscribe"].strip().startswith("<http://127.0.0.1:8000/u/")
