"""A sender number with a Messaging Service SID sends through the service (MessagingServiceSid, no From); a text
whose answer was lost is found again on Twilio by its recipient and body, and never sent twice."""

from __future__ import annotations

import pytest

from inboxes.models import OutboundMessage
from sms.sending import send_sms

pytestmark = pytest.mark.django_db
SERVICE = "MG" + "b" * 32


def test_a_number_in_a_messaging_service_texts_through_the_service_and_is_found_again_there(
        fake_twilio, sender_number, make_contact, sender):
    number = sender_number("+447911000001", messaging_service_sid=SERVICE)
    contact = make_contact(phone="+447911123456")
    text = send_sms(organization=sender, sender=number, to=contact.phone, body="Hello from the service",
                    idempotency_key="svc-1", contact=contact)
    assert text.status == "sent"
    [sent] = fake_twilio.messages
    assert sent.messaging_service_sid == SERVICE and sent.from_ == "" and text.provider_message_id == sent.sid

    # The answer was lost: the row is back to "sending" with its SID unknown. The next run asks Twilio first.
    OutboundMessage.objects.filter(pk=text.pk).update(status="sending", provider_message_id="")
    again = send_sms(organization=sender, sender=number, to=contact.phone, body="Hello from the service",
                     idempotency_key="svc-1", contact=contact)
    assert again.status == "sent" and again.provider_message_id == sent.sid
    assert len(fake_twilio.messages) == 1
