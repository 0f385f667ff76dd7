"""A phrase turned around by a negation is not its category: "not interested" is no interest, "don't remove me"
is no unsubscribe."""

import pytest

from replies.triage.human import classify_human


@pytest.mark.parametrize("text, category", [
    ("Not interested.", "not_interested"),
    ("We are not interested at the moment.", "not_interested"),
    ("Kein Interesse.", "not_interested"),
    ("Das interessiert uns nicht.", "not_interested"),
    ("Ça ne m'intéresse pas.", "not_interested"),
    ("Je ne suis pas intéressé.", "not_interested"),
    ("No nos interesa.", "not_interested"),
    ("Niet geïnteresseerd, bedankt.", "not_interested"),
    ("Not interested, and we're not looking to book a call either.", "not_interested"),
    ("Please don't remove me from the list, I'd love to hear more. Can we talk Monday?", "interested"),
    ("Bitte nicht austragen, ich möchte gerne mehr erfahren.", "interested"),
])
def test_a_negated_phrase_does_not_decide(text, category):
    verdict = classify_human(text)

    assert verdict is not None and verdict.category == category, verdict


def test_dont_remove_me_alone_is_no_unsubscribe():
    verdict = classify_human("Please don't remove me from your list.")

    assert verdict is None or verdict.category != "unsubscribe"


def test_two_equally_strong_signals_are_left_undecided():
    assert classify_human("Sounds good, but we already have a solution.") is None


def test_an_unsubscribe_request_outranks_a_refusal():
    assert classify_human("Not interested, please remove me from your list.").category == "unsubscribe"
