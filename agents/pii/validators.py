"""Checksums and issuer rules that tell a real IBAN or card number from a look-alike.

Kept apart from the finders because they are pure functions of a digit string: the benchmark corpus generator
and its tests use them to label data (``iban_valid``, ``luhn_valid``) without running any detector.
"""

from __future__ import annotations

IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20,
    "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25,
    "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
    "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}


def iban_valid(iban: str) -> bool:
    """Country length and ISO 7064 mod-97 check of an IBAN written without separators."""
    iban = iban.upper()
    if IBAN_LENGTHS.get(iban[:2]) != len(iban) or not iban.isalnum() or not iban[2:4].isdigit():
        return False
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# Issuer identification number ranges and the lengths each issuer issues (ISO/IEC 7812; the networks' own
# published ranges). Ordered from the most specific prefix to the broadest, as (low, high, prefix digits, lengths):
# the first range that holds the number's prefix decides. A number that starts like no issuer, or has a length
# its issuer never issues, is not a card even when Luhn passes (one random number in ten passes Luhn).
_R = range
_ISSUER_RANGES: tuple[tuple[int, int, int, frozenset[int]], ...] = (
    (622126, 622925, 6, frozenset(_R(16, 20))),  # Discover / UnionPay co-branded
    (506099, 506198, 6, frozenset((16, 18, 19))),  # Verve
    (650002, 650027, 6, frozenset((16, 18, 19))),  # Verve
    (6390, 6390, 4, frozenset(_R(12, 20))),  # Maestro (inside InstaPayment's 637-639, matched first)
    (1800, 1800, 4, frozenset((15,))),  # JCB, the old 15-digit numbers
    (2131, 2131, 4, frozenset((15,))),  # JCB, the old 15-digit numbers
    (2200, 2204, 4, frozenset(_R(16, 20))),  # Mir
    (2221, 2720, 4, frozenset((16,))),  # Mastercard 2-series
    (3095, 3095, 4, frozenset(_R(14, 20))),  # Diners Club International
    (3528, 3589, 4, frozenset(_R(16, 20))),  # JCB
    (6011, 6011, 4, frozenset(_R(16, 20))),  # Discover
    (9792, 9792, 4, frozenset((16,))),  # Troy
    (300, 305, 3, frozenset(_R(14, 20))),  # Diners Club Carte Blanche / International
    (644, 649, 3, frozenset(_R(16, 20))),  # Discover
    (636, 636, 3, frozenset(_R(16, 20))),  # InterPayment
    (637, 639, 3, frozenset((16,))),  # InstaPayment
    (508, 508, 3, frozenset((16,))),  # RuPay
    (35, 35, 2, frozenset(_R(16, 20))),  # JCB's block is 3528-3589, but no other issuer has 35xx and test data uses it
    (34, 34, 2, frozenset((15,))),  # American Express
    (37, 37, 2, frozenset((15,))),  # American Express
    (36, 36, 2, frozenset(_R(14, 20))),  # Diners Club International
    (38, 39, 2, frozenset(_R(14, 20))),  # Diners Club
    (51, 55, 2, frozenset((16,))),  # Mastercard
    (65, 65, 2, frozenset(_R(16, 20))),  # Discover (and RuPay co-branded)
    (62, 62, 2, frozenset(_R(14, 20))),  # UnionPay
    (60, 60, 2, frozenset(_R(12, 20))),  # RuPay 16, Maestro 12-19
    (81, 82, 2, frozenset((16,))),  # RuPay
    (50, 50, 2, frozenset(_R(12, 20))),  # Maestro
    (56, 69, 2, frozenset(_R(12, 20))),  # Maestro (and the 6x issuers above, matched first)
    (4, 4, 1, frozenset((13, 16, 19))),  # Visa (Electron included)
    (1, 1, 1, frozenset((15,))),  # UATP
)


# The ranges a number can fall in, by its first digit, in the same order: a range whose bounds start with other
# digits never holds it (every bound is written with its width's digits), so the first that does is the same.
_RANGES_BY_FIRST_DIGIT = {
    c: tuple(r for r in _ISSUER_RANGES if str(r[0])[0] <= c <= str(r[1])[0]) for c in "123456789"
}


def card_issuer_ok(d: str) -> bool:
    """Whether the digits start like a card of some issuer and have a length that issuer issues (12-19)."""
    n = len(d)
    if not 12 <= n <= 19:
        return False
    if d[0] == "0":  # no issuer but Maestro's 0604 starts with 0
        return d[1:4] == "604"
    for low, high, width, lengths in _RANGES_BY_FIRST_DIGIT.get(d[0], _ISSUER_RANGES):
        if low <= int(d[:width]) <= high:
            return n in lengths
    return False


_card_issuer_ok = card_issuer_ok
