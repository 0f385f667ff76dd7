"""One canonical JSON spelling of a value, so equal values hash (and compare) equal whoever wrote them."""

from __future__ import annotations

import json
from typing import Any


def canonical_json(value: Any) -> str:
    """Keys sorted, no spaces, UTF-8 kept as is, anything JSON lacks (dates, UUIDs, Decimals) as its ``str``.

    Idempotency keys are hashes of this text: two spellings of the same params ({"a": 1, "b": 2} and
    {"b": 2, "a": 1}) must give the same key, and the spelling must never change, or stored keys stop matching.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
