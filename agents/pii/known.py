"""The record's known values (PERSON, ORGANIZATION, STREET_ADDRESS, or any type) found in free text.

Matched with str.find on a lower-cased copy of the text and a few character checks, not with a regex built
per record: compiling an alternation of a record's name parts costs ~6 ms, ~50 times the cost of scanning a
typical prompt, and every record is different.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException

from agents.pii.phrases import _known_phrases, _Phrase, _Token
from agents.pii.spans import PII_TYPES

_KNOWN_SEP = frozenset(" \t\r\n\u00a0\u2009\u202f,")
_CJK_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xFF00, 0xFFEF))


def _wordish(ch: str) -> bool:
    """A letter or digit that is not CJK: a known value's edge must not touch one (so "Jane" is not found in
    "Janet"), while CJK text, which has no spaces, may run right up to it ("山田様")."""
    if not (ch.isalnum() or ch == "_"):
        return False
    if ch < "\u3040":
        return True
    o = ord(ch)
    return not any(a <= o <= b for a, b in _CJK_RANGES)


def _token_at(text: str, low: str, pos: int, token: _Token, last: bool) -> int:
    """End of ``token`` read forwards from ``pos``, or -1."""
    forms, cased, dotted = token
    for form in forms:
        if low.startswith(form, pos):
            end = pos + len(form)
            if cased and text[pos].islower():
                continue
            if dotted and form in dotted and not last and end < len(text) and text[end] == ".":
                end += 1
            return end
    return -1


def _phrase_around(text: str, low: str, pos: int, phrase: _Phrase, anchor: int,
                   found: str | None) -> tuple[int, int]:
    """(start, end) of ``phrase`` whose anchor token starts at ``pos``, or (-1, -1). ``found`` is the anchor's
    spelling found there when no longer spelling of the anchor can match at ``pos`` (the anchor then ends right
    after it), else None. The tokens around are read in line: this runs for every occurrence of every anchor."""
    n = len(text)
    tokens = phrase[1]
    last_index = len(tokens) - 1
    if found is None:
        end = _token_at(text, low, pos, tokens[anchor], anchor == last_index)
        if end < 0:
            return -1, -1
    else:
        _, cased, dotted = tokens[anchor]
        if cased and text[pos].islower():
            return -1, -1
        end = pos + len(found)
        if dotted and found in dotted and anchor != last_index and end < n and text[end] == ".":
            end += 1
    for k in range(anchor + 1, last_index + 1):
        j = end
        while j < n and text[j] in _KNOWN_SEP:
            j += 1
        if j == end:
            return -1, -1
        forms, cased, dotted = tokens[k]
        for form in forms:  # _token_at(), in line
            if low.startswith(form, j):
                if cased and text[j].islower():
                    return -1, -1
                end = j + len(form)
                if dotted and form in dotted and k != last_index and end < n and text[end] == ".":
                    end += 1
                break
        else:
            return -1, -1
    if end < n and _wordish(text[end]):
        return -1, -1
    start = pos
    for k in range(anchor - 1, -1, -1):
        j = start
        while j > 0 and text[j - 1] in _KNOWN_SEP:
            j -= 1
        if j == start:
            return -1, -1
        forms, cased, dotted = tokens[k]
        for form in forms:  # read backwards from ``j``: the token's end, or the end of its abbreviation's dot
            stop = j - 1 if dotted and form in dotted and j > 0 and text[j - 1] == "." else j
            begin = stop - len(form)
            if begin >= 0 and low.startswith(form, begin) and not (cased and text[begin].islower()):
                start = begin
                break
        else:
            return -1, -1
    if start > 0 and _wordish(text[start - 1]):
        return -1, -1
    return start, end


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters lower-case to two ("İ"): lower them one by one so offsets stay those of the text.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _find_known(text: str, items: tuple[tuple[str, tuple[str, ...]], ...],
                low: str | None = None) -> list[tuple[int, int, str]]:
    by_anchor, initials = _known_phrases(items)
    if not by_anchor:
        return []
    low = _lower_same_length(text) if low is None else low
    hits: list[tuple[int, int, str]] = []
    n = len(text)
    find = low.find
    for form, entries in by_anchor.items():
        size = len(form)
        i = find(form)
        while i != -1:
            end = i + size
            # Every token of a phrase has a non-letter on both sides (a separator, a dot, the phrase's edge):
            # most occurrences inside longer words end here. (_wordish() in line: below the CJK blocks, every
            # letter or digit is one.)
            if i:
                ch = text[i - 1]
                if (ch.isalnum() or ch == "_") and (ch < "\u3040" or _wordish(ch)):
                    i = find(form, i + 1)
                    continue
            if end < n:
                ch = text[end]
                if (ch.isalnum() or ch == "_") and (ch < "\u3040" or _wordish(ch)):
                    i = find(form, i + 1)
                    continue
            for phrase, anchor, longest_here in entries:
                tokens = phrase[1]
                if len(tokens) == 1:  # a name part, a company without its legal form: the anchor is all
                    if not (tokens[0][1] and text[i].islower()):
                        hits.append((i, end, phrase[0]))
                    continue
                start, stop = _phrase_around(text, low, i, phrase, anchor, form if longest_here else None)
                if stop > 0:
                    hits.append((start, stop, phrase[0]))
            i = find(form, i + 1)
    if initials:
        for k, (i, end, typ) in enumerate(hits):
            # "J. Doe": the initial of the first name before a surname; "J." alone is not looked for.
            if typ == "PERSON" and i >= 3 and text[i - 2] == "." and text[i - 1] in " \u00a0" \
                    and text[i - 3] in initials and (i == 3 or not _wordish(text[i - 4])):
                hits[k] = (i - 3, end, typ)
    # All hits, overlapping ones too: detect() keeps the longest that does not collide with a better-ranked span
    # ("Doe, Jane" may run into an e-mail address in a CSV line, where "Doe" alone is still right).
    return hits


@lru_cache(maxsize=1024)
def _known_phone_regions(items: tuple[tuple[str, tuple[str, ...]], ...], region: str) -> tuple[str, ...]:
    """The countries of the record's own phone numbers: a French contact's "+33 6 12 34 56 78" tells that
    "06 12 34 56 78" in the notes about them is a French number, whatever the default region."""
    found: list[str] = []
    for typ, values in items:
        if typ != "PHONE":
            continue
        for value in values:
            try:
                number = phonenumbers.parse(value, region)
            except NumberParseException:
                continue
            other = phonenumbers.region_code_for_number(number)
            if other and other != region and other not in found:
                found.append(other)
    return tuple(found)


def _normalise_known(known_values: Mapping[str, Iterable[str]] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not known_values:
        return ()
    items = []
    for typ, values in known_values.items():
        if typ not in PII_TYPES:
            raise ValueError(f"unknown PII type {typ!r}; expected one of {', '.join(PII_TYPES)}")
        if isinstance(values, str):
            values = [values]
        if type(values) is list and len(values) == 1 and type(values[0]) is str:
            # one value, as callers pass a contact's name, company or street: the general line, without the set
            vals: tuple[str, ...] = (values[0],) if values[0].strip() else ()
        else:
            vals = tuple(sorted({str(v) for v in values if v is not None and str(v).strip()}))
        if vals:
            items.append((typ, vals))
    return tuple(sorted(items))
