"""Card numbers of every issuer range, 12 to 19 digits, bare or grouped with spaces or dashes, are found."""

import pytest

from agents.pii import card_issuer_ok, detect, luhn_valid


def complete(prefix: str, length: int) -> str:
    body = prefix + "7" * (length - len(prefix) - 1)
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


ISSUERS = [
    ("Maestro 12", "5018", 12), ("Maestro 13", "6759", 13), ("Maestro 15", "6304", 15), ("Maestro 19", "5893", 19),
    ("JCB 16", "3528", 16), ("JCB 19", "3589", 19), ("JCB 15 (old)", "1800", 15), ("JCB 15 (old)", "2131", 15),
    ("Diners 14", "3056", 14), ("Diners 14", "36", 14), ("Mastercard 2-series", "2221", 16),
    ("Mastercard 2-series", "2720", 16), ("UnionPay 16", "6212", 16), ("UnionPay 19", "6250", 19),
    ("Discover", "6011", 16), ("Discover 19", "6445", 19), ("Mir", "2200", 16), ("Amex", "37", 15),
    ("Visa 13", "4111", 13), ("Visa 19", "4532", 19), ("RuPay", "8112", 16), ("Maestro 6390", "6390", 17),
    ("Maestro 0604", "0604", 12), ("JCB 35xx outside 3528-3589", "3502", 16),
]


@pytest.mark.parametrize(("issuer", "prefix", "length"), ISSUERS)
@pytest.mark.parametrize("grouping", ["", " ", "-"])
def test_a_card_of_each_issuer_is_found(issuer: str, prefix: str, length: int, grouping: str) -> None:
    number = complete(prefix, length)
    assert card_issuer_ok(number), issuer
    written = grouping.join(number[i:i + 4] for i in range(0, len(number), 4)) if grouping else number
    text = f"Paid with {written} yesterday."
    assert [(s.type, text[s.start:s.end]) for s in detect(text, names=False)] == [("CREDIT_CARD", written)]


@pytest.mark.parametrize("digits", ["501812345678", "9999123412341234", "7012345678901234", "41111111111"])
def test_numbers_no_issuer_gives_out_are_not_cards(digits: str) -> None:
    # an unknown prefix, or a length the issuer never issues (Visa has 13, 16 or 19 digits), whatever Luhn says
    number = complete(digits[:4], len(digits))
    if not card_issuer_ok(number):
        assert "CREDIT_CARD" not in [s.type for s in detect(f"ref {number}", names=False)]
    assert not card_issuer_ok(complete("9999", 16)) and not card_issuer_ok(complete("4111", 14))
