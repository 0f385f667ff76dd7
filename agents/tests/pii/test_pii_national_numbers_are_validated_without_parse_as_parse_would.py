"""A national number validated without ``phonenumbers.parse()`` (``phone_metadata._fast_valid``) gets the verdict
that ``parse()`` and the validation after it give, in every region: also for numbers written with a leading 0
where the region has no trunk prefix 0 (a US "073 609 8836"), which are judged without ``parse()``."""

import random

import phonenumbers
from phonenumbers import NumberParseException

from agents.pii import nsn_valid
from agents.pii.phone_metadata import _fast_valid


def _parse_verdict(cand: str, region: str) -> bool:
    """What phones._phone_valid concludes from parse() for a national number: valid, or not (parse() failing too)."""
    try:
        number = phonenumbers.parse(cand, region)
    except NumberParseException:
        return False
    return nsn_valid(number.country_code, phonenumbers.national_significant_number(number))


def _candidate(rng: random.Random) -> str:
    digits = rng.choice(("0", "0", "0", "1", "")) + "".join(rng.choice("0123456789") for _ in range(rng.randint(6, 12)))
    sep = rng.choice((" ", "-", ".", "/", ""))
    cuts = sorted(rng.sample(range(1, len(digits)), k=min(3, len(digits) - 1)))
    parts = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
    return sep.join(parts)


def test_every_verdict_given_without_parse_is_parses_verdict() -> None:
    rng = random.Random(13)
    judged = leading_zero = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for _ in range(60):
            cand = _candidate(rng)
            quick = _fast_valid(cand, False, region)
            if quick is None:
                continue  # left to parse()
            assert quick is _parse_verdict(cand, region), (region, cand)
            judged += 1
            leading_zero += cand[0] == "0" and phonenumbers.PhoneMetadata.metadata_for_region(region).national_prefix != "0"
    assert judged > 8000 and leading_zero > 1000  # the shortcut for a leading 0 was exercised


def test_a_us_number_written_with_a_leading_zero_is_invalid_without_parse() -> None:
    assert _fast_valid("073 609 8836", False, "US") is False
    assert _parse_verdict("073 609 8836", "US") is False
