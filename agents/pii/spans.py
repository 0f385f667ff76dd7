"""Spans: what a detector reports.

Every detector returns ``(start, end, type)`` tuples; ``detect()`` turns the survivors into :class:`Span`. How
overlapping detections are settled lives in :mod:`agents.pii.overlaps`, which is compiled with the detector
(scripts/build_pii.py); this module stays Python because ``Span`` is a public frozen dataclass that callers pickle
and compare, which a mypyc native class would not be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PII_TYPES: tuple[str, ...] = (
    "EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "US_SSN", "IP_ADDRESS", "PERSON", "ORGANIZATION", "STREET_ADDRESS",
)


@dataclass(frozen=True)
class Span:
    """One detected value: ``text[start:end]`` is of PII type ``type``."""

    type: str
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "start": self.start, "end": self.end}
