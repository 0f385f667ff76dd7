"""Twilio's webhooks accept only what Twilio signed with the account's current Auth Token, over the URL as Twilio
requested it (``REX_PUBLIC_BASE_URL``): unsigned, forged and stale (an old, rotated token; another account)
requests are refused with 403 and store nothing; a replayed one is answered 200 and does nothing again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from twilio.request_validator import RequestValidator

from campaigns.models import Contact
from inboxes.models import OutboundMessage, Suppression
from replies.models import InboundMessage
from sms.models import SmsMessage, TwilioEvent
from sms.tests.conftest import ACCOUNT_SID, AUTH_TOKEN, inbound_text, post_webhook, twilio_signature

pytestmark = pytest.mark.django_db
INBOUND, STATUS = "/webhook/twilio/inbound", "/webhook/twilio/status"
SENDER = "+447911000001"


def nothing_stored() -> bool:
    return not (TwilioEvent.objects.exists() or InboundMessage.objects.exists() or Suppression.objects.exists())


def test_forged_unsigned_stale_and_replayed_twilio_webhooks_are_refused_or_ignored_and_genuine_ones_accepted(
        fake_twilio, sender_number, sender):
    number = sender_number(SENDER)
    contact = Contact.objects.create(organization=sender, email="ann@client.example", phone="+447911123456",
                                     sms_consent_at=timezone.now() - timedelta(days=1), sms_consent_source="form")
    client = Client()
    stop = inbound_text(contact.phone, SENDER, "STOP")

    assert post_webhook(client, INBOUND, stop, signature=None).status_code == 403            # unsigned
    assert post_webhook(client, INBOUND, stop, signature="bm90IGEgc2lnbmF0dXJl").status_code == 403  # forged
    altered = post_webhook(client, INBOUND, {**stop, "From": "+447911999999"}, signature=None)
    assert altered.status_code == 403
    # Signed over the parameters, then one changed on the way.
    tampered = client.post(INBOUND, {**stop, "Body": "hello"}, HTTP_X_TWILIO_SIGNATURE=twilio_signature(INBOUND, stop))
    assert tampered.status_code == 403
    # Stale: signed with the Auth Token the account had before it was rotated.
    assert post_webhook(client, INBOUND, stop, token="the-previous-auth-token").status_code == 403
    # Signed for the URL Django sees behind the proxy, not the public one Twilio requested.
    internal = RequestValidator(AUTH_TOKEN).compute_signature("http://testserver" + INBOUND, stop)
    assert client.post(INBOUND, stop, HTTP_X_TWILIO_SIGNATURE=internal).status_code == 403
    # Signed with our token but for another account (a misrouted webhook).
    assert post_webhook(client, INBOUND, {**stop, "AccountSid": "AC" + "2" * 32}).status_code == 403
    assert nothing_stored()

    # Genuine: accepted, acted on.
    accepted = post_webhook(client, INBOUND, stop)
    assert accepted.status_code == 200 and accepted["Content-Type"].startswith("text/xml")
    assert Suppression.objects.filter(reason="sms_stop").count() == 2  # the phone and the contact's email
    # Replayed: 200, nothing more.
    assert post_webhook(client, INBOUND, stop).status_code == 200
    assert Suppression.objects.count() == 2 and TwilioEvent.objects.filter(kind="inbound").count() == 1

    # HELP is answered with the help text in TwiML.
    help_answer = post_webhook(client, INBOUND, inbound_text(contact.phone, SENDER, "help"))
    assert b"<Message>Reply STOP" in help_answer.content

    # Status callbacks: genuine ones update the text's delivery status once; a late, lower status never
    # overwrites a final one; a replay does nothing.
    outbound = OutboundMessage.objects.create(organization=sender, idempotency_key="k1", channel="sms",
                                              to_address=contact.phone, status="sent", provider_message_id="SM" + "a" * 32)
    SmsMessage.objects.create(outbound=outbound, sender=number, from_number=SENDER, body="Hi", delivery_status="queued")
    delivered = {"MessageSid": outbound.provider_message_id, "MessageStatus": "delivered", "AccountSid": ACCOUNT_SID,
                 "To": contact.phone, "From": SENDER}
    assert post_webhook(client, STATUS, delivered, signature=None).status_code == 403
    assert post_webhook(client, STATUS, delivered, token="the-previous-auth-token").status_code == 403
    assert SmsMessage.objects.get().delivery_status == "queued"
    assert post_webhook(client, STATUS, delivered).status_code == 200
    assert post_webhook(client, STATUS, delivered).status_code == 200
    assert post_webhook(client, STATUS, {**delivered, "MessageStatus": "sent"}).status_code == 200
    assert SmsMessage.objects.get().delivery_status == "delivered"
    assert TwilioEvent.objects.filter(kind="status").count() == 2
