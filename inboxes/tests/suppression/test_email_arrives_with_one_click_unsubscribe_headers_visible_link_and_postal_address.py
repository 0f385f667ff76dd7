import re

from inboxes.models import InboxDay, OutboundMessage
from inboxes.sending import send_email
from inboxes.tests.conftest import POSTAL_ADDRESS


def test_email_arrives_with_one_click_unsubscribe_headers_visible_link_and_postal_address(smtp_server, make_inbox,
                                                                                         make_contact, sender):
    server = smtp_server()
    inbox = make_inbox(smtp_port=server.port)
    contact = make_contact("Bob@Client.example", phone="+14155550123")

    message = send_email(organization=sender, inbox=inbox, to="Bob@Client.example", subject="Quick question, Bob",
                         body="Hi Bob,\n\nWould a <short> call next week be useful?", idempotency_key="k-1",
                         contact=contact)

    assert message.status == OutboundMessage.Status.SENT
    assert len(server.messages) == 1
    received = server.messages[0]
    mail = received.message
    assert received.rcpt_tos == ["Bob@Client.example"]
    assert mail["From"].addresses[0].display_name == "Jane Doe"
    assert mail["From"].addresses[0].addr_spec == inbox.address
    assert mail["Subject"] == "Quick question, Bob"
    # The provider id of an SMTP send is the Message-ID we set, on the inbox's own domain.
    assert mail["Message-ID"] == message.message_id == message.provider_message_id
    assert message.message_id.endswith(f"@{inbox.domain.name}>")

    # RFC 2369 / RFC 8058: one https URI in angle brackets, and the one-click marker.
    list_unsubscribe = mail["List-Unsubscribe"].strip()  # long: folded onto its own line
    match = re.fullmatch(r"<(https://rex\.test\.example/u/[^>]+)>", list_unsubscribe)
    assert match, list_unsubscribe
    link = match.group(1)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    text = received.text_body()
    assert "Would a <short> call next week be useful?" in text
    assert link in text
    assert POSTAL_ADDRESS in text
    html = received.html_body()
    assert "Would a &lt;short&gt; call" in html  # the body is escaped in the HTML alternative
    assert f'href="{link}"' in html
    assert POSTAL_ADDRESS in html

    assert message.slot_day is not None
    assert InboxDay.objects.get(inbox=inbox, day=message.slot_day).sent == 1
