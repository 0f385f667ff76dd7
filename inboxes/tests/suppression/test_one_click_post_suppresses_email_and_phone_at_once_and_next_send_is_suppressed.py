import re
from urllib.parse import urlsplit

from django.test import Client

from inboxes.models import OutboundMessage, Suppression
from inboxes.sending import send_email


def test_one_click_post_suppresses_email_and_phone_at_once_and_next_send_is_suppressed(smtp_server, make_inbox,
                                                                                      make_contact, sender):
    server = smtp_server()
    inbox = make_inbox(smtp_port=server.port)
    contact = make_contact("bob@client.example", phone="(415) 555-0123")  # national format, US default region
    send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello", body="Hi",
               idempotency_key="first", contact=contact)
    link = re.search(r"<([^>]+)>", server.messages[0].message["List-Unsubscribe"]).group(1)

    # What Gmail or Yahoo sends for RFC 8058: a POST with the one-click body, no cookies, no CSRF token.
    mailbox_provider = Client(enforce_csrf_checks=True)
    response = mailbox_provider.post(urlsplit(link).path, data="List-Unsubscribe=One-Click",
                                     content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    rows = {(s.email, s.phone, s.reason, s.contact_id) for s in Suppression.objects.filter(organization=sender)}
    assert rows == {("bob@client.example", "", "unsubscribe", contact.pk),
                    ("", "+14155550123", "unsubscribe", contact.pk)}

    later = send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Follow-up", body="Hi",
                       idempotency_key="second", contact=contact)
    assert later.status == OutboundMessage.Status.SUPPRESSED
    assert len(server.messages) == 1

    # A second click (a user pressing the button after the one-click) changes nothing and still says done.
    assert mailbox_provider.post(urlsplit(link).path).status_code == 200
    assert Suppression.objects.filter(organization=sender).count() == 2
