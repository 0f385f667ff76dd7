"""The LLM sees placeholders; the gateway puts the real values back into its answer, now or after a round trip
through storage (an async webhook answers later)."""

import json

import pytest

from agents.pii import Pseudonyms, pseudonymise, redact

KNOWN = {"PERSON": ["Jane Doe"], "ORGANIZATION": ["Acme GmbH"]}


def test_the_llm_sees_numbered_placeholders_and_the_answer_gets_the_real_values_back() -> None:
    prompt = "Write to Jane Doe (jane@acme.com, +1 415 555 0132) at Acme GmbH; cc bob@acme.com."
    masked, pseudonyms = pseudonymise(prompt, known_values=KNOWN)

    assert masked == "Write to <PERSON_1> (<EMAIL_1>, <PHONE_1>) at <ORGANIZATION_1>; cc <EMAIL_2>."
    for secret in ("Jane", "jane@acme.com", "415", "Acme", "bob@"):
        assert secret not in masked

    answer = "Dear <PERSON_1>, I will call <PHONE_1> and copy <EMAIL_2>. Regards to <ORGANIZATION_1>."
    assert pseudonyms.restore(answer) == (
        "Dear Jane Doe, I will call +1 415 555 0132 and copy bob@acme.com. Regards to Acme GmbH.")


def test_the_same_value_gets_the_same_placeholder_and_several_texts_share_the_numbering() -> None:
    pseudonyms = Pseudonyms()
    first, _ = pseudonymise("jane@acme.com and JANE@ACME.COM", pseudonyms=pseudonyms)
    second, same = pseudonymise("bob@acme.com, then jane@acme.com again", pseudonyms=pseudonyms)

    assert same is pseudonyms
    assert first == "<EMAIL_1> and <EMAIL_1>"
    assert second == "<EMAIL_2>, then <EMAIL_1> again"
    assert len(pseudonyms) == 2
    assert pseudonyms.placeholder_for("EMAIL", "jane@acme.com") == "<EMAIL_1>"
    assert pseudonyms.placeholder_for("PHONE", "+1 (415) 555-0132") == "<PHONE_1>"
    assert pseudonyms.placeholder_for("PHONE", "+1 415 555 0132") == "<PHONE_1>"  # same digits, same number
    assert pseudonyms.placeholder_for("IBAN", "DE89 3704 0044 0532 0130 00") == "<IBAN_1>"


def test_placeholders_the_mapping_did_not_issue_are_left_as_they_are() -> None:
    _, pseudonyms = pseudonymise("mail jane@acme.com")
    answer = "Ask <EMAIL_1>, not <EMAIL_7> nor <PERSON_1> nor EMAIL_1 nor <email_1>."
    assert pseudonyms.restore(answer) == "Ask jane@acme.com, not <EMAIL_7> nor <PERSON_1> nor EMAIL_1 nor <email_1>."


def test_a_stored_mapping_restores_the_answer_later() -> None:
    masked, pseudonyms = pseudonymise("Call Jane Doe on +44 20 7946 0958", known_values=KNOWN)
    stored = json.dumps(pseudonyms.to_dict())

    later = Pseudonyms.from_dict(json.loads(stored))
    assert len(later) == len(pseudonyms) == 2
    assert later.restore(masked) == "Call Jane Doe on +44 20 7946 0958"
    # It keeps numbering where it stopped, and reuses placeholders for values it already knows.
    assert later.placeholder_for("PHONE", "+44 20 7946 0958") == "<PHONE_1>"
    assert later.placeholder_for("PHONE", "+49 30 1234567") == "<PHONE_2>"


def test_a_broken_stored_mapping_is_refused() -> None:
    with pytest.raises(ValueError):
        Pseudonyms.from_dict({"entries": [{"placeholder": "<EMAIL_1>", "type": "PHONE", "value": "x"}]})
    with pytest.raises(ValueError):
        Pseudonyms().placeholder_for("NOT_A_TYPE", "x")


def test_redact_reports_offsets_into_the_input_text() -> None:
    text = "Hi Jane, call +1 415 555 0132."
    masked, spans = redact(text, known_values=KNOWN)
    assert masked == "Hi <PERSON_1>, call <PHONE_1>."
    assert [(s.type, text[s.start:s.end]) for s in spans] == [("PERSON", "Jane"), ("PHONE", "+1 415 555 0132")]
    assert [s.as_dict() for s in spans] == [
        {"type": "PERSON", "start": 3, "end": 7}, {"type": "PHONE", "start": 14, "end": 29}]
