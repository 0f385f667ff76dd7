import pytest

from replies.triage.bounces import classify_sendgrid_event

CASES = [
    ({"event": "bounce", "type": "bounce", "status": "5.1.1",
      "reason": "550 5.1.1 The email account that you tried to reach does not exist."}, "hard"),
    ({"event": "bounce", "type": "bounce", "status": "5.7.26",
      "reason": "550 5.7.26 Unauthenticated email is not accepted due to domain's DMARC policy"}, "infrastructure"),
    ({"event": "bounce", "type": "blocked", "status": "5.7.1",
      "reason": "554 5.7.1 Service unavailable; Client host blocked using zen.spamhaus.org"}, "infrastructure"),
    # SendGrid's "blocked" is never held against the address: a hard-looking answer becomes soft.
    ({"event": "bounce", "type": "blocked", "status": "5.1.1", "reason": "550 5.1.1 user unknown"}, "soft"),
    ({"event": "blocked", "status": "4.2.2", "reason": "452 4.2.2 mailbox full"}, "soft"),
    # Nothing recognisable: SendGrid's own classification decides.
    ({"event": "bounce", "type": "bounce", "status": "5.0.0", "reason": "550 rejected",
      "bounce_classification": "Reputation"}, "infrastructure"),
    ({"event": "dropped", "reason": "Bounced Address"}, "hard"),
    ({"event": "dropped", "reason": "Invalid"}, "hard"),
    ({"event": "dropped", "reason": "Unsubscribed Address"}, "hard"),
    ({"event": "dropped", "reason": "Spam Reporting Address"}, "hard"),
    ({"event": "dropped", "reason": "Spam Content (if spam checker app enabled)"}, "infrastructure"),
    ({"event": "dropped", "reason": "Invalid SMTPAPI header"}, "infrastructure"),
    ({"event": "dropped", "reason": "Recipient List over Package Quota"}, "infrastructure"),
]


@pytest.mark.parametrize(("event", "klass"), CASES, ids=[f"{e['event']}-{e.get('type', '')}-{e['reason'][:30]}"
                                                         for e, _ in CASES])
def test_sendgrid_bounce_blocked_and_dropped_events_are_classified(event, klass):
    got, reason = classify_sendgrid_event(event)
    assert got == klass, reason
    assert reason
