"""``detect()``: every PII span of a text, running each detector once and settling their overlaps.

The order of precedence lives here: validated structured values first (e-mail, IBAN, card, SSN, IP), then the
record's known values, then other people's names (a switchable stage), then phone numbers, whose candidates are
the loosest.
"""

# ruff: noqa: RUF001, RUF003 -- full-width digits and signs are what the mapping below is about

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from agents.pii.cards import _find_cards
from agents.pii.context import _DIGIT_RE, _scan_numbers
from agents.pii.emails import _find_emails, _find_obfuscated_emails
from agents.pii.ibans import _find_ibans
from agents.pii.ips import _find_ips
from agents.pii.known import _find_known, _known_phone_regions, _lower_same_length, _normalise_known
from agents.pii.names import _run_names, find_names
from agents.pii.overlaps import _as_spans, _leftmost_longest, _resolve, _Taken
from agents.pii.phones import _find_phones
from agents.pii.phrases import _known_phrases, _value_entries
from agents.pii.spans import Span
from agents.pii.ssn import _find_ssns

_FULLWIDTH_RE = re.compile("[\uff01-\uff5e\u3000]")
_FULLWIDTH_HINTS = "０１２３４５６７８９＋＠"
_FULLWIDTH_TABLE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def default_region() -> str:
    try:
        from django.conf import settings

        return str(getattr(settings, "REX_PII_DEFAULT_REGION", "US") or "US").upper()
    except Exception:  # noqa: BLE001 -- outside a configured Django (scripts, notebooks) the US default applies
        return "US"


def names_enabled() -> bool:
    """``settings.REX_PII_NAMES``: whether detect() looks for people's names the record does not give."""
    try:
        from django.conf import settings

        return bool(getattr(settings, "REX_PII_NAMES", True))
    except Exception:  # noqa: BLE001 -- outside a configured Django (scripts, notebooks) names are on
        return True


def detect(
    text: str,
    *,
    known_values: Mapping[str, Iterable[str]] | None = None,
    region: str | None = None,
    names: bool | None = None,
) -> list[Span]:
    """Every PII span in ``text``: non-overlapping, sorted by start, offsets into ``text`` (end exclusive).

    ``known_values`` maps a type to the record's own values ({"PERSON": ["Jane Doe"], ...}); ``region`` is the
    ISO country whose national phone formats apply (default ``settings.REX_PII_DEFAULT_REGION``); ``names``
    switches the stage that finds people's names the record does not give (default ``settings.REX_PII_NAMES``).

    Order of precedence where detections overlap: validated structured values (e-mail, IBAN, card, SSN, IP),
    then the record's known values, then other people's names, then phone numbers, whose candidates are the
    loosest.
    """
    if not text:
        return []
    region = (region or default_region()).upper()
    if not text.isascii() and any(c in text for c in _FULLWIDTH_HINTS) and _FULLWIDTH_RE.search(text):
        # Full-width digits, '+' and '-' (Japanese text: "０３－１２３４－５６７８") map one to one onto ASCII, so
        # the offsets found in the mapped text are those of the original.
        text = text.translate(_FULLWIDTH_TABLE)
    low = _lower_same_length(text)
    cands: list[tuple[int, int, str, int]] = []
    if "@" in text:
        cands.extend((s, e, t, 0) for s, e, t in _find_emails(text))
    cands.extend((s, e, t, 0) for s, e, t in _find_obfuscated_emails(text, low))
    digits = _DIGIT_RE.search(text) is not None
    runs, iban_seeds = _scan_numbers(text) if digits else ([], [])
    if digits:
        for rank, found in enumerate((_find_ibans(text, iban_seeds), _find_cards(text, runs), _find_ssns(text, low),
                                      _find_ips(text)), start=1):
            cands.extend((s, e, t, rank) for s, e, t in found)
    spans = _resolve(cands) if len(cands) > 1 else [c[:3] for c in cands]
    items = _normalise_known(known_values)
    taken = _Taken(spans) if spans else None
    if items:
        found = _leftmost_longest(_find_known(text, items, low), taken)
        if found:
            spans += found
            taken = _Taken(spans)  # rebuilt only when a stage added spans: building one sorts them all
    if names if names is not None else names_enabled():
        found = find_names(text, taken)
        if found:
            spans += found
            taken = _Taken(spans)
    if runs:
        regions = (region, *_known_phone_regions(items, region)) if items else (region,)
        spans += _find_phones(text, regions, taken, runs)
    spans.sort()
    return _as_spans(spans)


# Per-type detectors, for the benchmark's per-type throughput (bench/pii.py).
DETECTORS: dict[str, Any] = {
    "EMAIL": lambda text: _find_emails(text) + _find_obfuscated_emails(text),
    "IBAN": _find_ibans,
    "CREDIT_CARD": _find_cards,
    "US_SSN": _find_ssns,
    "IP_ADDRESS": _find_ips,
    "PHONE": _find_phones,
    "KNOWN": _find_known,
    "NAMES": find_names,
}


def _forget_seen_text() -> None:
    """Empty the caches keyed by text already seen (runs of capitalised words, a record's values and phrases), and
    keep those of fixed data (patterns, the gazetteer, phone metadata). bench/pii.py calls it before every timed
    pass, so its figures are first-call figures: a corpus timed three times would otherwise hit on every run of
    the second pass, which no stream of new mail does."""
    for cached in (_run_names, _known_phrases, _value_entries, _known_phone_regions):
        cached.cache_clear()
