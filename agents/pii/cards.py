"""Payment card numbers in free text: 12-19 digits grouped as printed (or not grouped), with an issuer's prefix
and length (``validators.card_issuer_ok``: every IIN range, not only the big four), passing Luhn.

Why a 16-digit run that fails Luhn is not a card: every card number ends with a Luhn check digit computed by the
issuer, so a number that fails the check was never issued (a typo, an order or tracking number, a random ID).
One random digit string in ten passes Luhn by chance, which is why the issuer's prefix and length must fit too.

Candidates are looked for only inside the number runs that :mod:`agents.pii.context` finds once per text (the
same runs the phone detector reads), so a text without long digit runs costs almost nothing here.
"""

from __future__ import annotations

import re

from agents.pii.context import _AN, _NON_DIGIT_RE, _neg_context, _number_runs
from agents.pii.validators import _card_issuer_ok, luhn_valid

# The boundary check comes after the first digit: a pattern that starts with a character class is scanned much
# faster than one that starts with a lookbehind.
_CARD_RE = re.compile(
    rf"\d(?<![{_AN}\-/#+]\d)(?<!\d[.,]\d)(?:[ \u00a0\-.]?\d){{11,22}}+(?![{_AN}]|[.,\-/]\d)"
)
# Group lengths as printed on cards and receipts (Visa/MC/Discover 4-4-4-4, 19-digit 4-4-4-4-3, Amex 4-6-5,
# Diners 4-6-4, 13-digit Visa 4-4-5, 12-digit Maestro 4-4-4).
_CARD_SHAPES = {(4, 4, 4), (4, 4, 4, 4), (4, 4, 4, 4, 3), (4, 6, 5), (4, 6, 4), (4, 4, 5), (4, 4, 4, 3), (4, 4, 4, 4, 2),
                (4, 4, 4, 4, 1), (4, 4, 4, 2), (4, 4, 4, 1), (5, 5, 5), (5, 5, 6)}
# The separators _CARD_RE allows between digits (its "\\d" is every decimal digit, so nothing else is in a candidate).
_CARD_SEPS = " \u00a0-."
_CARD_WORDS_RE = re.compile(r"card|karte|carte|tarjeta|carta|cart[aã]o|visa|master|amex|cc|pan\b", re.IGNORECASE)


def _find_cards(text: str, runs: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """Cards are looked for only inside the number runs (``_number_runs``) long enough to hold 12 digits: the
    text is scanned once for runs of digits, for cards and phones alike."""
    out: list[tuple[int, int, str]] = []
    n = len(text)
    for s, e in _number_runs(text) if runs is None else runs:
        # A card is 12 digits or more: most long runs are phone numbers with fewer (counting them costs a third of
        # the card pattern's search).
        if e - s < 12 or len(_NON_DIGIT_RE.sub("", text[s:e + 2])) < 12:
            continue
        for m in _CARD_RE.finditer(text, s, min(n, e + 2)):
            _card_in_run(text, m, out)
    return out


def _card_in_run(text: str, m: re.Match[str], out: list[tuple[int, int, str]]) -> None:
    """Appends to ``out`` the card that starts the candidate ``m``, if it is one."""
    cand = m.group()
    # The candidate is digit groups joined by single separator characters (_CARD_RE): its characters that are no
    # digit are those of _CARD_SEPS it holds, found by four look-ups in C rather than a loop over its characters.
    seps = [c for c in _CARD_SEPS if c in cand]
    if len(seps) > 1:  # "4111-1111 1111-1111" is two things or a typo, not a printed card
        return
    groups = cand.split(seps[0]) if seps else [cand]
    if len(cand) - len(groups) + 1 < 12:
        return  # fewer than 12 digits in all: no prefix of it is a card
    lengths = tuple(map(len, groups))
    # The run may carry a neighbour after the card (a CVV, an expiry "12 26"): try the longest prefixes first.
    # Never drop leading groups: a card found inside the tail of a longer number (a USPS tracking number, a
    # bank account) is a coincidence of Luhn, not a card.
    # But a run printed as a whole card (4-4-4-4-3) that fails Luhn is a mistyped or made-up number, and a
    # shorter prefix of it passing Luhn is chance (one in ten), not a card.
    shaped = len(groups) > 1 and lengths in _CARD_SHAPES
    found = None
    for j in range(len(groups), 0 if not shaped else len(groups) - 1, -1):
        digits = "".join(groups[:j])
        if not 12 <= len(digits) <= 19 or (j > 1 and lengths[:j] not in _CARD_SHAPES):
            continue
        if _card_issuer_ok(digits) and luhn_valid(digits):
            found = (m.start(), m.start() + len(digits) + j - 1)  # the digits and the j - 1 separators between
            break
    if found and not _neg_context(text, found[0], _CARD_WORDS_RE):
        out.append((found[0], found[1], "CREDIT_CARD"))
