"""A single capitalised word that no name list knows is a name only after a cue: a closing line above it (also
across a blank line, a "--" line or a Windows line end), a title or greeting, an introduction, or surname
particles after a title. The names stage skips such words early when no cue stands before them, so these cues
must still be read."""

import pytest

from agents.pii import detect


def people(text: str) -> list[str]:
    return [text[s.start:s.end] for s in detect(text) if s.type == "PERSON"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Thanks for the call.\nBest regards,\nOkonkwo", ["Okonkwo"]),
    ("Thanks for the call.\n\nKind regards,\n\nOkonkwo", ["Okonkwo"]),
    ("Danke!\nMit freundlichen Grüßen\r\n--\r\nWaweru", ["Waweru"]),
    ("Cordialement.\n -- \n Ngata", ["Ngata"]),
    ("Dear  Ngata, thanks.", ["Ngata"]),
    ("Attn: Waweru", ["Waweru"]),
    ("Geachte mevrouw van Zantvoort, dank u.", ["van Zantvoort"]),
])
def test_a_cued_unknown_word_is_a_name(text: str, expected: list[str]) -> None:
    assert people(text) == expected


@pytest.mark.parametrize("text", [
    "The shipment left Rotterdam.\nOkonkwo",
    "We disregard\nOkonkwo",
    "Delivery to Waweru was late.",
])
def test_the_same_word_without_a_cue_is_left_alone(text: str) -> None:
    assert people(text) == []
