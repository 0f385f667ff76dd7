"""A record's values that share a word (the contact "Anna Berger" at "Berger AG", "Jürgen Müller" at "Müller
GmbH") are each found, in every spelling: the phrases built per value are merged per record, and where two values
give the same word the company, whose type sorts first, keeps the word alone as before."""

import pytest

from agents.pii import detect
from agents.pii.phrases import _known_phrases, _value_entries


def mentions(text: str, known: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(s.type, text[s.start:s.end]) for s in detect(text, known_values=known, names=False)]


@pytest.mark.parametrize(("known", "text", "expected"), [
    ({"PERSON": ["Anna Berger"], "ORGANIZATION": ["Berger AG"]},
     "Berger AG sent Anna Berger the contract; Berger signed. Berger, Anna called.",
     [("ORGANIZATION", "Berger AG"), ("PERSON", "Anna Berger"), ("ORGANIZATION", "Berger"),
      ("PERSON", "Berger, Anna")]),
    ({"PERSON": ["Jürgen Müller"], "ORGANIZATION": ["Müller GmbH"]},
     "MUELLER GMBH: Juergen Mueller called. Herr Müller ruft an.",
     [("ORGANIZATION", "MUELLER GMBH"), ("PERSON", "Juergen Mueller"), ("ORGANIZATION", "Müller")]),
])
def test_values_sharing_a_word_are_each_found(known: dict[str, list[str]], text: str,
                                              expected: list[tuple[str, str]]) -> None:
    assert mentions(text, known) == expected
    _known_phrases.cache_clear()
    _value_entries.cache_clear()
    assert mentions(text, known) == expected  # built afresh, the same
