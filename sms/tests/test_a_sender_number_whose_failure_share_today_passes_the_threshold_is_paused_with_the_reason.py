"""Delivery failures count against the sender number: once its texts failed today (failed/undelivered callbacks)
are above REX_SMS_FAILURE_PAUSE_SHARE of those it handed to Twilio today, and it handed over at least
REX_SMS_FAILURE_PAUSE_MIN_TEXTS, it is paused with the figures as the reason and sends nothing more. Fewer texts
than that minimum never pause it; yesterday's texts do not count today; an ops pause keeps its own reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from inboxes.models import OutboundMessage
from sms.models import SenderNumber, SenderRefused, SmsMessage
from sms.tests.conftest import ACCOUNT_SID, post_webhook

pytestmark = pytest.mark.django_db
STATUS = "/webhook/twilio/status"


def handed_to_twilio(number: SenderNumber, count: int, *, days_ago: int = 0) -> list[str]:
    """``count`` texts the number handed to Twilio (accepted, a Message SID), as sms.sending records them."""
    sids = []
    for _ in range(count):
        n = OutboundMessage.objects.count()
        sid = f"SM{n:032x}"
        outbound = OutboundMessage.objects.create(organization=number.organization, idempotency_key=f"k{n}",
                                                  channel="sms", to_address=f"+4479111{n:05d}", status="sent",
                                                  provider_message_id=sid)
        SmsMessage.objects.create(outbound=outbound, sender=number, from_number=number.phone_number, body="Hi",
                                  delivery_status="queued",
                                  attempted_at=timezone.now() - timedelta(days=days_ago))
        sids.append(sid)
    return sids


def fail(client: Client, number: SenderNumber, sid: str, status: str = "failed", code: str = "30007") -> None:
    params = {"MessageSid": sid, "MessageStatus": status, "ErrorCode": code, "AccountSid": ACCOUNT_SID,
              "To": "+447911100000", "From": number.phone_number}
    assert post_webhook(client, STATUS, params).status_code == 200


def test_a_number_above_the_failure_share_is_paused_with_the_figures(fake_twilio, sender_number, settings):
    settings.REX_SMS_FAILURE_PAUSE_SHARE = 0.2
    settings.REX_SMS_FAILURE_PAUSE_MIN_TEXTS = 10
    number = sender_number("+447911000001")
    yesterday = handed_to_twilio(number, 10, days_ago=1)
    today = handed_to_twilio(number, 10)
    client = Client()
    for sid in yesterday[:5]:
        fail(client, number, sid)  # failures of another day count on that day, not today
    for sid in today[:2]:
        fail(client, number, sid, status="undelivered")
    # The same text reported undelivered then failed is one failure.
    fail(client, number, today[0], status="failed")
    number.refresh_from_db()
    assert number.status == SenderNumber.Status.ACTIVE  # 2 of 10: 20%, not above

    fail(client, number, today[2])
    number.refresh_from_db()
    assert number.status == SenderNumber.Status.PAUSED
    assert number.pause_reason == ("3 of 10 texts today failed delivery (30%, above 20%): check the list and the "
                                   "content before resuming")
    with pytest.raises(SenderRefused) as refused:
        number.reserve_send()
    assert refused.value.scope == "status"
    assert "failed delivery" in refused.value.message


def test_fewer_texts_than_the_minimum_never_pause_a_number(fake_twilio, sender_number, settings):
    settings.REX_SMS_FAILURE_PAUSE_SHARE = 0.2
    settings.REX_SMS_FAILURE_PAUSE_MIN_TEXTS = 10
    number = sender_number("+447911000001")
    client = Client()
    for sid in handed_to_twilio(number, 3):
        fail(client, number, sid)

    number.refresh_from_db()
    assert (number.status, number.pause_reason) == (SenderNumber.Status.ACTIVE, "")


def test_an_ops_pause_keeps_its_reason(fake_twilio, sender_number, settings):
    settings.REX_SMS_FAILURE_PAUSE_SHARE = 0.1
    settings.REX_SMS_FAILURE_PAUSE_MIN_TEXTS = 2
    number = sender_number("+447911000001")
    sids = handed_to_twilio(number, 2)
    SenderNumber.objects.filter(pk=number.pk).update(status="paused", pause_reason="carrier complaint, ticket 42")

    fail(Client(), number, sids[0])

    number.refresh_from_db()
    assert number.pause_reason == "carrier complaint, ticket 42"
