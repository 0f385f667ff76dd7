"""The detector's own phone validation (patterns compiled once) gives exactly phonenumbers' answer."""

import random

import phonenumbers
import pytest

from agents.pii import nsn_valid


def test_random_numbers_in_every_country_calling_code_get_phonenumbers_verdict() -> None:
    rng = random.Random(7)
    checked = valid = 0
    for cc in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE):
        for _ in range(40):
            nsn = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(rng.randint(3, 12)))
            expected = phonenumbers.is_valid_number(phonenumbers.PhoneNumber(country_code=cc, national_number=int(nsn)))
            assert nsn_valid(cc, nsn) is expected, (cc, nsn)
            checked += 1
            valid += expected
    assert checked > 8000 and valid > 100  # both answers were exercised


@pytest.mark.parametrize("region", sorted(phonenumbers.SUPPORTED_REGIONS))
def test_every_regions_example_numbers_are_valid(region: str) -> None:
    for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE,
                 phonenumbers.PhoneNumberType.TOLL_FREE):
        example = phonenumbers.example_number_for_type(region, kind)
        if example is not None:
            nsn = phonenumbers.national_significant_number(example)
            assert nsn_valid(example.country_code, nsn) is phonenumbers.is_valid_number(example)
