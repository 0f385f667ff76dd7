"""``redact_payload``: audit payloads redacted before they are stored in AgentLog.

Two layers: values under sensitive keys (credentials and personal fields: ``REX_REDACT_FIELDS`` and
``REX_PII_FIELDS``, see :mod:`agents.pii.fields`) are replaced whole, and every other string goes through the
free-text PII detector (e-mail addresses, phone numbers, card numbers, IBANs, SSNs, IP addresses), which puts
typed placeholders such as ``<EMAIL_1>`` in their place. The audit log is for reading what an agent did, never
for reading who it did it to. Unlike the LLM redaction nothing here can be restored: no mapping is kept.
"""

from __future__ import annotations

from typing import Any

from agents.pii.fields import audit_fields
from agents.pii.walk import Redaction, walk

REDACTED = "<REDACTED>"


class _AuditRedaction(Redaction):
    """Irreversible: a sensitive key's value and anything nested too deeply become ``REDACTED``."""

    keep_tuples = False

    def field(self, key: str, value: Any, depth: int) -> Any:
        return REDACTED

    def text(self, value: str) -> str:
        # Imported here, not at the top: agents.models imports this module when Django starts, and the detector
        # (its patterns, phonenumbers' metadata) is only worth loading once a payload holds a string.
        from agents.pii.pseudonyms import redact

        return redact(value)[0]

    def too_deep(self, value: Any) -> Any:
        # Never refused: losing the audit row would be worse than losing the part of it that is too deep.
        return REDACTED


def redact_payload(value: Any) -> Any:
    """A copy of ``value`` with sensitive keys' values and PII in free text replaced by placeholders."""
    return walk(value, _AuditRedaction(audit_fields()))
