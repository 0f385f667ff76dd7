"""Text PostgreSQL cannot store, found anywhere in a parsed JSON value, and a storable spelling of it.

PostgreSQL refuses a NUL character in ``text`` and ``jsonb`` ("A string literal cannot contain NUL", "unsupported
Unicode escape sequence"), and a lone UTF-16 surrogate (JSON allows ``"\\ud800"``) cannot even be encoded as
UTF-8 to send it. Both arrive as ordinary JSON escapes; left alone they turn a bad request into a 500 at the first
query that uses them, so requests are refused at the door with the path of the offending value.
"""

from __future__ import annotations

import re
from typing import Any

NUL = "contains a NUL character"
SURROGATE = "contains an unpaired surrogate"
# Any surrogate in a Python str is unpaired: a pair in JSON ("\ud83d\ude80") decodes to one code point.
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _problem(text: str) -> str | None:
    if "\x00" in text:
        return NUL
    if _SURROGATE.search(text):
        return SURROGATE
    return None


def find_unstorable(value: Any, path: str = "") -> list[tuple[str, str]]:
    """(path, reason) for each string or key in ``value`` PostgreSQL cannot store; paths are dotted ("params.tag",
    "items.0"), a key's own path is spelled storably."""
    found: list[tuple[str, str]] = []
    if isinstance(value, str):
        problem = _problem(value)
        if problem:
            found.append((path, problem))
    elif isinstance(value, dict):
        for key, item in value.items():
            key = str(key)
            child = f"{path}.{storable(key)}" if path else storable(key)
            problem = _problem(key)
            if problem:
                found.append((child, f"the key {problem}"))
            found.extend(find_unstorable(item, child))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found.extend(find_unstorable(item, f"{path}.{index}" if path else str(index)))
    return found


def errors_by_field(findings: list[tuple[str, str]]) -> dict[str, Any]:
    """The findings as DRF-shaped field errors: ``{"params": {"tag": ["contains a NUL character"]}}``; a problem
    with the body itself (a bare string) goes under ``non_field_errors``."""
    errors: dict[str, Any] = {}
    for path, reason in findings:
        parts = path.split(".") if path else ["non_field_errors"]
        node = errors
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):  # a value and something under it both bad: keep the first
                break
            node = child
        else:
            leaf = node.setdefault(parts[-1], [])
            if isinstance(leaf, list):
                leaf.append(reason)
    return errors


def storable(value: Any) -> Any:
    """``value`` with each NUL and lone surrogate spelled as its JSON escape in plain text ("\\u0000"), so a refused
    request can still be recorded as it came."""
    if isinstance(value, str):
        return _UNSTORABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", value)
    if isinstance(value, dict):
        return {storable(str(key)): storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [storable(item) for item in value]
    return value
