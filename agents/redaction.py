"""Redaction of audit payloads before they are stored in AgentLog.

Two layers: values under sensitive keys (credentials and personal fields, configurable with REX_REDACT_FIELDS)
are replaced whole, and every other string goes through the free-text PII detector (``agents.pii``: e-mail
addresses, phone numbers, card numbers, IBANs, SSNs, IP addresses), which puts typed placeholders such as
``<EMAIL_1>`` in their place. The audit log is for reading what an agent did, never for reading who it did it to.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

REDACTED = "<REDACTED>"
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
        from agents.pii import redact

        return redact(value)[0]
    return value
