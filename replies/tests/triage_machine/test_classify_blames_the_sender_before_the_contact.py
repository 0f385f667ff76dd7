"""``classify``'s precedence: infrastructure wording wins over any code, temporary answers are never hard, and a
5.7.x the rules do not recognise is a policy refusal of the sender."""

import pytest

from replies.triage.bounces import classify

CASES = [
    # Infrastructure wording wins over the generic code it arrives with.
    ("5.7.1", "550 5.7.1 Message rejected due to DMARC policy", None, "infrastructure"),
    ("5.7.1", "550 5.7.1 SPF fail - not authorized", None, "infrastructure"),
    ("5.1.1", "550 5.1.1 Service unavailable; client host blocked using zen.spamhaus.org", None, "infrastructure"),
    ("", "554 Rejected: 192.0.2.44 listed at b.barracudacentral.org", 554, "infrastructure"),
    ("4.7.0", "421-4.7.0 Our system has detected an unusual rate of unsolicited mail", 421, "infrastructure"),
    ("5.7.26", "", None, "infrastructure"),
    ("5.7.25", "", None, "infrastructure"),
    ("4.7.28", "", None, "infrastructure"),
    ("5.7.509", "Access denied, sending domain does not pass DMARC verification", None, "infrastructure"),
    ("5.7.606", "Access denied, banned sending IP", None, "infrastructure"),
    ("5.7.10", "", None, "infrastructure"),
    ("4.7.5", "", None, "infrastructure"),
    ("5.7.1", "554 5.7.1 Message not accepted for policy reasons", None, "infrastructure"),
    ("5.7.1", "550 5.7.1 message rejected", None, "infrastructure"),          # unrecognised 5.7.x: the sender's
    ("5.7.1", "554 5.7.1 Message rejected as spam by Content Filtering", None, "infrastructure"),
    ("", "550 5.4.5 Daily user sending quota exceeded", None, "infrastructure"),  # our quota, not their mailbox
    # Domino's "not listed in the directory" is an unknown user, not a blocklist.
    ("5.1.1", "550 5.1.1 User unknown; not listed in Domino Directory", None, "hard"),
    # Dead addresses.
    ("5.1.1", "550 5.1.1 <x@y.example>: Recipient address rejected: User unknown", None, "hard"),
    ("5.1.10", "550 5.1.10 RESOLVER.ADR.RecipientNotFound", None, "hard"),
    ("5.1.2", "", None, "hard"),
    ("5.2.1", "The email account that you tried to reach is disabled", None, "hard"),
    ("", "550 No such user here", None, "hard"),
    # Not the contact's fault, not ours for sure: retried, not suppressed.
    ("4.1.1", "450 4.1.1 user unknown (temporary)", None, "soft"),             # any 4xx is temporary
    ("5.2.2", "552 5.2.2 Mailbox full", None, "soft"),
    ("", "452 Mailbox is over quota", None, "soft"),
    ("5.3.4", "552 5.3.4 Message size exceeds fixed limit", None, "soft"),
    ("4.4.7", "", None, "soft"),
    ("4.7.1", "450 4.7.1 Recipient address rejected: Greylisted", None, "soft"),
    ("5.7.1", "554 5.7.1 <x@y.example>: Relay access denied", None, "soft"),  # decided: soft, see module docstring
    ("", "550 something nobody has seen before", 550, "soft"),                 # unrecognised permanent: soft
]


@pytest.mark.parametrize(("status", "diagnostic", "code", "klass"), CASES, ids=[f"{c[0]} {c[1][:40]}" for c in CASES])
def test_classify_blames_the_sender_before_the_contact(status, diagnostic, code, klass):
    got, reason = classify(status, diagnostic, code)
    assert got == klass, reason
    assert reason


def test_classify_reads_the_status_from_the_text_when_none_is_given():
    assert classify("", "smtp; 550 5.1.1 <x@y.example>... User unknown")[0] == "hard"
    assert "5.1.1" in classify("", "smtp; 550 5.1.1 <x@y.example>... User unknown")[1]
