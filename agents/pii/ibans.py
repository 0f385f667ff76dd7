"""IBANs in free text: a country code and check digits, grouped or not, ended by the country's length.

The length table and mod-97 check are in :mod:`agents.pii.validators`; this module only finds candidates.
"""

from __future__ import annotations

import re

from agents.pii.context import _NON_ALNUM_RE
from agents.pii.validators import IBAN_LENGTHS, iban_valid

# Greedy on purpose: the country's length then decides where the IBAN really ends (a following word may have been
# swallowed by the optional spaces).
_IBAN_RE = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]{2}\d{2}(?:[ \u00a0\-]?[0-9A-Za-z]){10,31}")
_ALNUM_CHAR_RE = re.compile(r"[0-9A-Za-z]")
_IBAN_SEED_RE = re.compile(r"\d(?<=[A-Za-z][A-Za-z]\d)\d")


def _find_ibans(text: str, seeds: list[int] | None = None) -> list[tuple[int, int, str]]:
    """IBANs, from the starts of their seeds when the caller has them (``context._scan_numbers`` finds them in
    the same pass as the number runs)."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    # Seeded by the check digits right after two letters ("DE|89"): scanning for a digit is much faster than
    # scanning every letter of the text for a possible country code.
    for seed in [m.start() for m in _IBAN_SEED_RE.finditer(text)] if seeds is None else seeds:
        if seed - 2 < pos:
            continue
        m = _IBAN_RE.match(text, seed - 2)
        if m is None:
            continue
        s = m.start()
        pos = s + 4
        length = IBAN_LENGTHS.get(text[s:s + 2].upper())
        if length is None:
            continue
        chars = [c.start() for c in _ALNUM_CHAR_RE.finditer(text, s, m.end())]
        if len(chars) < length:
            continue
        e = chars[length - 1] + 1
        if e < len(text) and text[e].isalnum():  # the IBAN would end inside a word or a longer number
            continue
        compact = _NON_ALNUM_RE.sub("", text[s:e])
        if iban_valid(compact):
            out.append((s, e, "IBAN"))
            pos = e
    return out
