"""How deep a JSON body may nest, checked on the raw bytes before any parser sees them.

Python's ``json`` recurses once per level of nesting (its C scanner too), so a 2 KB body of ``[[[[…`` thousands
deep raises RecursionError (a 500 with a long traceback) instead of a parse error. No real payload of ours nests
more than a few levels; refusing deeper bodies up front costs one pass over the bytes at C speed.
"""

from __future__ import annotations

import re

# A JSON string, escapes included (an escaped quote does not end it). An unterminated string runs to the end of
# the body: its brackets are not counted, and the parser refuses the body anyway.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*(?:"|$)', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPENING = frozenset(b"[{")


def check_depth(raw: bytes, limit: int) -> None:
    """ValueError when ``raw`` (JSON text) nests arrays and objects more than ``limit`` deep; brackets inside
    strings do not count. Says nothing about whether the JSON is otherwise valid."""
    if raw.count(b"[") + raw.count(b"{") <= limit:  # cannot be too deep: skip the scan
        return
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    depth = 0
    for byte in brackets:
        if byte in _OPENING:
            depth += 1
            if depth > limit:
                raise ValueError(f"JSON nested deeper than {limit} levels")
        else:
            depth -= 1
