"""A short local number without area code ("555 0134") is a phone number when a phone word stands right before
it; elsewhere the same shape is a postcode or a part number."""

from agents.pii import detect


def phones(text: str) -> list[str]:
    return [text[s.start:s.end] for s in detect(text, region="US", names=False) if s.type == "PHONE"]


def test_a_local_number_after_a_phone_word_is_found() -> None:
    assert phones("Front desk, call 555 0134 for the key.") == ["555 0134"]
    assert phones("Tel: 555-0134") == ["555-0134"]


def test_the_same_shape_without_a_phone_word_is_left_alone() -> None:
    assert phones("Postal code 530-0001, Osaka.") == []
    assert phones("We shipped 555 0134 units.") == []
