"""The open-world part of the tune corpus and the held-back split are labelled exactly: every label points at a
stripped value of its type (cards of 12-19 digits passing Luhn), labels never overlap, and both are
deterministic."""

import sys
from itertools import pairwise
from pathlib import Path

import pytest

from agents.pii import luhn_valid

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))

import pii_corpus
import pii_heldback


@pytest.mark.parametrize("docs", [pii_corpus.generate_open(200, seed=3), pii_heldback.generate(200, seed=3)],
                         ids=["open-world", "held-back"])
def test_labels_point_at_values_of_their_type(docs: list[dict]) -> None:
    seen = set()
    for doc in docs:
        text, spans = doc["text"], doc["spans"]
        assert all(a["end"] <= b["start"] for a, b in pairwise(spans))
        for span in spans:
            value = text[span["start"]:span["end"]]
            assert value and value == value.strip(), span
            seen.add(span["type"])
            digits = "".join(c for c in value if c.isdigit())
            if span["type"] == "CREDIT_CARD":
                assert 12 <= len(digits) <= 19 and luhn_valid(digits), value
            elif span["type"] == "PHONE":
                assert 7 <= len(digits) <= 19, value
            elif span["type"] == "PERSON":
                assert value[0].isalpha() and not any(c.isdigit() for c in value), value
    assert seen == {"PHONE", "CREDIT_CARD", "PERSON"}


def test_both_splits_are_deterministic_and_differ_from_each_other() -> None:
    assert pii_heldback.generate(30, seed=5) == pii_heldback.generate(30, seed=5)
    assert pii_corpus.generate_open(30, seed=5) == pii_corpus.generate_open(30, seed=5)
    held = {d["text"] for d in pii_heldback.generate(100, seed=5)}
    tune = {d["text"] for d in pii_corpus.generate_open(100, seed=5)}
    assert not held & tune
