"""US social security numbers: ``ddd-dd-dddd`` anywhere, other shapes only next to an SSN word.

A bare or spaced nine-digit number is any number at all, so those shapes need an SSN word shortly before them;
the dashed shape is the SSN's own and is found from its literal "-dd-dddd" tail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from agents.pii.context import _AN, _PHONE_PREFIX_BEFORE_RE, _neg_context

_SSN_RE = re.compile(
    rf"(?<![{_AN}\-/+])(?<!\d[.,])(\d{{3}})([\- ]?)(\d{{2}})\2(\d{{4}})(?![{_AN}]|[.,\-/:]\d)"
)
_SSN_WORDS_RE = re.compile(r"\bssn\b|social security|\bsoc\.? ?sec|\bss#|\bss ?no\b|\bi?tin\b|taxpayer", re.IGNORECASE)


# Where to look: next to an SSN word anything of the right shape; elsewhere only the dashed shape, found from its
# "-dd-dddd" tail (a literal-first pattern is ten times faster to scan for than one starting with a digit).
_SSN_DASH_SEED_RE = re.compile(r"-(?=\d\d-\d{4})")


def _ssn_candidates(text: str, low: str) -> Iterator[re.Match[str]]:
    if ("ssn" in low or "soc" in low or " tin" in low or "itin" in low or "taxpayer" in low or "ss#" in low
            or "ss no" in low):  # an SSN word: then also the spaced and bare shapes ("soc": "social security")
        yield from _SSN_RE.finditer(text)
        return
    for seed in _SSN_DASH_SEED_RE.finditer(text):
        if seed.start() >= 3:
            m = _SSN_RE.match(text, seed.start() - 3)
            if m is not None:
                yield m


def _find_ssns(text: str, low: str | None = None) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for m in _ssn_candidates(text, text.lower() if low is None else low):
        area, sep, group, serial = m.group(1), m.group(2), m.group(3), m.group(4)
        if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
            continue
        s = m.start()
        # Dashed ddd-dd-dddd is the SSN's own shape; with spaces or none it is any 9-digit number, so it needs
        # an SSN word shortly before it.
        if sep != "-" and _SSN_WORDS_RE.search(text, max(0, s - 40), s) is None:
            continue
        if _PHONE_PREFIX_BEFORE_RE.search(text, max(0, s - 8), s):
            continue
        # "SSN #123-45-6789": the '#' that marks order numbers is fine right after an SSN word.
        if _neg_context(text, s, _SSN_WORDS_RE) and _SSN_WORDS_RE.search(text, max(0, s - 32), s) is None:
            continue
        out.append((s, m.end(), "US_SSN"))
    return out
