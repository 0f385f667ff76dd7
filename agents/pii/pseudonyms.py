"""Reversible pseudonymisation: spans become ``<TYPE_N>`` placeholders, and the mapping puts the values back.

A :class:`Pseudonyms` is what the LLM gateway keeps (and stores while an asynchronous call is pending) so that
the real values can be restored in the LLM's answer; ``redact`` is the one-off form ``rex_redact`` prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from agents.pii.context import _NON_ALNUM_RE
from agents.pii.detector import detect
from agents.pii.spans import PII_TYPES, Span

_PLACEHOLDER_RE = re.compile(r"<(?:" + "|".join(sorted(PII_TYPES, key=len, reverse=True)) + r")_\d+>")


def _value_key(typ: str, value: str) -> str:
    """Two spellings of one value share a placeholder: case and spacing never matter, and for numbers only the
    digits and letters do ("+1 415-555-0100" and "+1 (415) 555 0100")."""
    if typ in ("PHONE", "CREDIT_CARD", "IBAN", "US_SSN"):
        return _NON_ALNUM_RE.sub("", value).upper()
    return " ".join(value.split()).casefold()


class Pseudonyms:
    """A reversible mapping between real values and the placeholders an LLM sees (``<EMAIL_1>``, ``<PERSON_2>``)."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], str] = {}
        self._values: dict[str, str] = {}
        self._types: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    def placeholder_for(self, type: str, value: str) -> str:
        if type not in PII_TYPES:
            raise ValueError(f"unknown PII type {type!r}; expected one of {', '.join(PII_TYPES)}")
        key = (type, _value_key(type, value))
        placeholder = self._by_key.get(key)
        if placeholder is None:
            n = self._counts.get(type, 0) + 1
            self._counts[type] = n
            placeholder = f"<{type}_{n}>"
            self._by_key[key] = placeholder
            self._values[placeholder] = value
            self._types[placeholder] = type
        return placeholder

    def value_of(self, placeholder: str) -> str | None:
        return self._values.get(placeholder)

    def restore(self, text: str) -> str:
        """``text`` with every placeholder this mapping issued replaced by its real value; any other
        ``<TYPE_N>`` (one the LLM made up) is left as it is."""
        if not self._values or "<" not in text:
            return text
        return _PLACEHOLDER_RE.sub(lambda m: self._values.get(m.group(), m.group()), text)

    def unissued_in(self, text: str) -> list[str]:
        """The ``<TYPE_N>`` placeholders in ``text`` that this mapping never issued, in order of first appearance:
        an LLM that answers with one made it up, and no real value stands behind it."""
        if "<" not in text:
            return []
        return list(dict.fromkeys(m.group() for m in _PLACEHOLDER_RE.finditer(text) if m.group() not in self._values))

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "entries": [{"placeholder": p, "type": self._types[p], "value": v} for p, v in self._values.items()],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Pseudonyms:
        self = cls()
        for entry in data.get("entries", ()):
            placeholder, typ, value = entry["placeholder"], entry["type"], entry["value"]
            m = re.fullmatch(r"<([A-Z_]+)_(\d+)>", placeholder)
            if m is None or m.group(1) != typ or typ not in PII_TYPES:
                raise ValueError(f"bad pseudonym entry {entry!r}")
            self._values[placeholder] = value
            self._types[placeholder] = typ
            self._by_key.setdefault((typ, _value_key(typ, value)), placeholder)
            self._counts[typ] = max(self._counts.get(typ, 0), int(m.group(2)))
        return self

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, placeholder: object) -> bool:
        return placeholder in self._values

    def __repr__(self) -> str:
        return f"<Pseudonyms {len(self)} values>"


def _apply(text: str, spans: list[Span], pseudonyms: Pseudonyms) -> str:
    parts: list[str] = []
    pos = 0
    for span in spans:
        parts.append(text[pos:span.start])
        parts.append(pseudonyms.placeholder_for(span.type, text[span.start:span.end]))
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)


def pseudonymise(
    text: str,
    *,
    known_values: Mapping[str, Iterable[str]] | None = None,
    pseudonyms: Pseudonyms | None = None,
    region: str | None = None,
) -> tuple[str, Pseudonyms]:
    """``text`` with every detected span replaced by its placeholder, and the mapping (``pseudonyms``, extended,
    when given: several texts of one prompt then share numbering)."""
    if pseudonyms is None:
        pseudonyms = Pseudonyms()
    spans = detect(text, known_values=known_values, region=region)
    return _apply(text, spans, pseudonyms), pseudonyms


def redact(
    text: str,
    *,
    known_values: Mapping[str, Iterable[str]] | None = None,
    region: str | None = None,
) -> tuple[str, list[Span]]:
    """What an LLM would receive for ``text``, and the spans (offsets into the input) that were replaced."""
    spans = detect(text, known_values=known_values, region=region)
    return _apply(text, spans, Pseudonyms()), spans
