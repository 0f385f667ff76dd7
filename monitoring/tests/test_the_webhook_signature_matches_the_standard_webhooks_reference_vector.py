"""The ``webhook-signature`` REX computes is the Standard Webhooks one: the specification's reference vector (secret,
message id, timestamp, body) gives the reference signature, and a receiver's check accepts it."""

from __future__ import annotations

from monitoring.alerts import sign
from monitoring.tests.conftest import signature_is_valid

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MESSAGE_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TIMESTAMP = 1614265330
BODY = b'{"test": 2432232314}'


def test_the_webhook_signature_matches_the_standard_webhooks_reference_vector():
    signature = sign(SECRET, MESSAGE_ID, TIMESTAMP, BODY)

    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    headers = {"webhook-id": MESSAGE_ID, "webhook-timestamp": str(TIMESTAMP), "webhook-signature": signature}
    assert signature_is_valid(SECRET, headers, BODY)
    assert not signature_is_valid(SECRET, headers, BODY + b" ")
