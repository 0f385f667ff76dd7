"""Redaction of audit payloads before they are stored in AgentLog.

This is the structural layer: values under sensitive keys (credentials and personal fields, configurable with
REX_REDACT_FIELDS) and e-mail addresses anywhere in strings are replaced. The free-text PII detector of the
"Agent framework" issue builds on top of it; this module never lets a secret reach the audit table meanwhile.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings

REDACTED = "<REDACTED>"
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
MAX_DEPTH = 20


def _sensitive(key: str, fields: frozenset[str]) -> bool:
    k = key.lower().replace("-", "_")
    return k in fields or any(k.endswith("_" + f) for f in fields)


def redact_payload(value: Any, *, _fields: frozenset[str] | None = None, _depth: int = 0) -> Any:
    """A copy of ``value`` with sensitive keys' values and e-mail addresses replaced by placeholders."""
    fields = _fields if _fields is not None else frozenset(f.lower() for f in settings.REX_REDACT_FIELDS)
    if _depth > MAX_DEPTH:
        return REDACTED
    if isinstance(value, dict):
        return {
            k: REDACTED if isinstance(k, str) and _sensitive(k, fields)
            else redact_payload(v, _fields=fields, _depth=_depth + 1)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_payload(v, _fields=fields, _depth=_depth + 1) for v in value]
    if isinstance(value, str):
        return EMAIL_RE.sub("<EMAIL>", value)
    return value
