"""How overlapping detections are settled, and the ``Span`` objects ``detect()`` returns built.

Split from :mod:`agents.pii.spans` so that it is compiled with the rest of the detector (scripts/build_pii.py):
``detect()`` and the phone and name stages call these helpers tens of thousands of times a pass over the corpus
(``_Taken.overlaps`` once per phone candidate), and from compiled code a call into a Python module goes through
the interpreter. ``Span`` itself stays a Python dataclass in :mod:`agents.pii.spans`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from itertools import accumulate
from operator import itemgetter
from typing import Any

from agents.pii.spans import Span

_first = itemgetter(0)
_second = itemgetter(1)
_new_object = object.__new__


def _as_spans(found: list[tuple[int, int, str]]) -> list[Span]:
    """``Span`` objects for ``(start, end, type)`` tuples. The frozen dataclass's ``__init__`` sets each field
    through ``object.__setattr__``; filling the instance's ``__dict__`` directly gives equal objects (same fields,
    equality, hash, repr, pickling) in half the time, and detect() makes one per span found."""
    out: list[Span] = []
    append = out.append
    for s, e, t in found:
        span = _new_object(Span)
        fields = span.__dict__
        fields["type"] = t
        fields["start"] = s
        fields["end"] = e
        append(span)
    return out


class _Taken:
    """Spans already found by better-ranked detectors: a phone candidate overlapping one would lose anyway, so
    it is not validated at all (card groups, IP addresses and postcodes are most of the failing candidates)."""

    def __init__(self, spans: Iterable[tuple[int, int, Any]]) -> None:
        # Sorted as they come ((start, end, type) tuples: the type only breaks ties of equal spans, which give the
        # same starts and ends); the lists are built by C-level map/accumulate, as detect() builds one per stage.
        ordered = sorted(spans)
        self.starts: list[int] = list(map(_first, ordered))
        self.max_end: list[int] = list(accumulate(map(_second, ordered), max))

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect_left(self.starts, e)
        return i > 0 and self.max_end[i - 1] > s


def _resolve(cands: list[tuple[int, int, str, int]]) -> list[tuple[int, int, str]]:
    """Keep non-overlapping detections, the better-ranked one where two overlap (then the earlier, then the
    longer); sorted by start."""
    cands.sort(key=lambda c: (c[3], c[0], c[0] - c[1]))
    starts: list[int] = []  # kept spans, sorted by start; they never overlap, so ends are sorted too
    ends: list[int] = []
    types: list[str] = []
    for s, e, typ, _ in cands:
        if s >= e:
            continue
        i = bisect_left(starts, s)
        if (i < len(starts) and starts[i] < e) or (i > 0 and ends[i - 1] > s):
            continue
        starts.insert(i, s)
        ends.insert(i, e)
        types.insert(i, typ)
    return list(zip(starts, ends, types, strict=True))


def _leftmost_longest(hits: list[tuple[int, int, str]], taken: _Taken | None) -> list[tuple[int, int, str]]:
    """The record's values found, without those inside better-ranked spans (a name inside an e-mail address),
    then leftmost-longest among themselves ("Jane Doe" rather than "Jane"; "Doe" when "Doe, Jane" ran into an
    e-mail address in a CSV line)."""
    hits.sort(key=lambda h: (h[0], h[0] - h[1]))
    out: list[tuple[int, int, str]] = []
    for h in hits:
        if (not out or h[0] >= out[-1][1]) and (taken is None or not taken.overlaps(h[0], h[1])):
            out.append(h)
    return out
