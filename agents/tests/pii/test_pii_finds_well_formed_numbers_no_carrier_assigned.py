"""A number that is well formed for its country but assigned to no carrier (synthetic data, test ranges, a
typo) is still a phone number: personal data whether or not the line exists."""

import phonenumbers
import pytest

from agents.pii import detect


@pytest.mark.parametrize(("number", "region"), [
    ("(868)458-7840", "US"),      # a US-shaped number whose area code is Trinidad's
    ("+1-723-430-2522", "US"),     # area code 723 is not in service
    ("+44 (0)115 4960 318", "GB"),
    ("+49 (0)115 2449390", "DE"),
    ("+3294 8219935", "BE"),
    ("+41 (0)29 390 92 66", "CH"),
    ("+55 31 1152-4493", "BR"),
    ("0999 123456", "DE"),
])
def test_an_unassigned_but_well_formed_number_is_a_phone(number: str, region: str) -> None:
    assert not phonenumbers.is_valid_number(phonenumbers.parse(number, region))
    text = f"Telefon / phone: {number}."
    assert [text[s.start:s.end] for s in detect(text, region=region, names=False)] == [number]
