""""Did you mean …?" for a name someone typed: the closest of the names that exist, by difflib similarity."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# Close enough that a typo ("acmee", "sprng-launch") finds its name, far enough that unrelated names do not.
SIMILARITY = 0.6


def closest_names(typed: str, names: Iterable[str], *, limit: int = 3) -> list[str]:
    """Up to ``limit`` of ``names`` most like ``typed`` (case-insensitive), best first; [] when none is close."""
    by_lower: dict[str, str] = {}
    for name in names:
        by_lower.setdefault(name.lower(), name)
    found = difflib.get_close_matches(typed.lower(), list(by_lower), n=limit, cutoff=SIMILARITY)
    return [by_lower[name] for name in found]
