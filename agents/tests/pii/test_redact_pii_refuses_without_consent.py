"""Without the contact's LLM consent nothing is pseudonymised for an LLM: the caller must skip the LLM step."""

import pytest

from agents.pii import LLMConsentMissing, Pseudonyms, redact_pii


def test_redact_pii_raises_when_the_contact_did_not_consent() -> None:
    data = {"email": "jane@acme.com", "notes": "call +1 415 555 0132"}
    pseudonyms = Pseudonyms()
    with pytest.raises(LLMConsentMissing):
        redact_pii(data, consent=False, pseudonyms=pseudonyms)
    assert len(pseudonyms) == 0  # nothing was prepared for an LLM either
    assert data == {"email": "jane@acme.com", "notes": "call +1 415 555 0132"}


def test_the_same_call_with_consent_goes_through() -> None:
    redacted, pseudonyms = redact_pii({"notes": "call +1 415 555 0132"}, consent=True)
    assert redacted == {"notes": "call <PHONE_1>"}
    assert pseudonyms.restore(redacted["notes"]) == "call +1 415 555 0132"


def test_consent_missing_is_an_exception_the_caller_can_tell_apart() -> None:
    assert issubclass(LLMConsentMissing, Exception)
    assert not issubclass(LLMConsentMissing, ValueError)
