"""The benchmark's generated corpus is labelled exactly: every labelled span is a valid value of its type, and
the generator is deterministic."""

import sys
from itertools import pairwise
from pathlib import Path

import phonenumbers

from agents.pii import iban_valid, luhn_valid

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))

import pii_corpus

VANITY = ("FLOWERS", "FEDEX", "APPLE", "DEAL")


def test_labels_point_at_valid_values_and_never_overlap() -> None:
    docs = pii_corpus.generate(300, seed=11)
    seen = set()
    for doc in docs:
        text, spans = doc["text"], doc["spans"]
        assert all(a["end"] <= b["start"] for a, b in pairwise(spans))
        for span in spans:
            value = text[span["start"]:span["end"]]
            assert value == value.strip() and value, span
            seen.add(span["type"])
            digits = "".join(c for c in value if c.isdigit())
            if span["type"] == "CREDIT_CARD":
                assert 12 <= len(digits) <= 19 and luhn_valid(digits), value
            elif span["type"] == "IBAN":
                assert iban_valid("".join(c for c in value if c.isalnum())), value
            elif span["type"] == "PHONE" and not any(v in value for v in VANITY):
                assert 7 <= len(digits) <= 19, value
            elif span["type"] == "EMAIL":
                assert "@" in value or "at" in value.lower(), value
    assert seen >= {"EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "IP_ADDRESS", "PERSON", "ORGANIZATION", "STREET_ADDRESS"}


def test_generated_phone_numbers_are_valid_for_phonenumbers() -> None:
    book = pii_corpus.PhoneBook(__import__("random").Random(3))
    for region in ("US", "GB", "DE", "FR", "JP", "BR", "IN", "AU"):
        for number in book.numbers(region):
            assert phonenumbers.is_valid_number(number)


def test_the_same_seed_gives_the_same_corpus() -> None:
    assert pii_corpus.generate(50, seed=5) == pii_corpus.generate(50, seed=5)
    assert pii_corpus.generate(50, seed=5) != pii_corpus.generate(50, seed=6)
