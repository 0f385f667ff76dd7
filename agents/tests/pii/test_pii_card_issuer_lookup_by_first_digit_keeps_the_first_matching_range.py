"""card_issuer_ok reads only the IIN ranges of a number's first digit: the same first match as the ordered table."""

import random

from agents.pii.validators import _ISSUER_RANGES, card_issuer_ok


def issuer_ok_by_the_ordered_table(d: str) -> bool:
    if not 12 <= len(d) <= 19:
        return False
    if d[0] == "0":
        return d[1:4] == "604"
    for low, high, width, lengths in _ISSUER_RANGES:
        if low <= int(d[:width]) <= high:
            return len(d) in lengths
    return False


def test_every_range_boundary_and_random_numbers_get_the_ordered_tables_answer() -> None:
    prefixes = {str(bound + delta) for low, high, _, _ in _ISSUER_RANGES for bound in (low, high)
                for delta in (-1, 0, 1) if bound + delta > 0}
    rng = random.Random(3)
    prefixes |= {str(rng.randint(1, 999999)) for _ in range(20000)}
    for prefix in prefixes:
        for length in range(11, 21):
            d = (prefix + "".join(rng.choice("0123456789") for _ in range(20)))[:length]
            assert card_issuer_ok(d) is issuer_ok_by_the_ordered_table(d), d
