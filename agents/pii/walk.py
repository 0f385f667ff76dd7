"""The one walker over structured data (dicts, lists, tuples, strings) that both redactions share.

``redact_pii`` (before an LLM call) and ``redact_payload`` (before an AgentLog row is stored) walk the same
shapes with the same key matcher and the same depth limit; they differ only in what a value becomes, which is
what a :class:`Redaction` says. One walker means one place where a shape, a key spelling or a depth rule can be
got wrong, instead of two that drift apart.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

from agents.pii.fields import FieldNames, field_type

# The two walkers this one replaces stopped at different depths: the audit redaction at 20 (replacing what lies
# deeper), the LLM redaction at 30 (refusing the data). The lower one is kept: data nested 21 to 30 levels deep
# is now refused for an LLM too, rather than anything getting through that the audit log would have hidden.
MAX_DEPTH = 20


class Redaction(ABC):
    """What a walk does with a value under a matched key, with any other string, and below ``MAX_DEPTH``."""

    # The LLM redaction gives back tuples as tuples (callers build prompts from them); the audit redaction has
    # always returned lists, which is what the JSON payload column stores anyway.
    keep_tuples: bool = True

    def __init__(self, fields: FieldNames) -> None:
        self.fields = fields

    @abstractmethod
    def field(self, key: str, value: Any, depth: int) -> Any:
        """The replacement for ``value``, found under the matched key ``key`` at ``depth``."""

    @abstractmethod
    def text(self, value: str) -> str:
        """A string that no field name covers: the free-text detector's job."""

    @abstractmethod
    def too_deep(self, value: Any) -> Any:
        """What stands for ``value`` when it lies deeper than ``MAX_DEPTH`` (or raise)."""


def walk(data: Any, redaction: Redaction, depth: int = 0) -> Any:
    """A redacted copy of ``data``; ``data`` itself is never modified. Scalars other than strings are kept."""
    if depth > MAX_DEPTH:
        return redaction.too_deep(data)
    if isinstance(data, str):
        return redaction.text(data)
    if isinstance(data, Mapping):
        return {
            k: redaction.field(k, v, depth + 1) if redaction.fields.matches(k) else walk(v, redaction, depth + 1)
            for k, v in data.items()
        }
    if isinstance(data, list | tuple):
        rebuild = type(data) if redaction.keep_tuples else list
        return rebuild(walk(v, redaction, depth + 1) for v in data)
    return data


def collect_field_values(data: Any, fields: FieldNames, into: dict[str, set[str]], depth: int = 0) -> None:
    """The string values under matched keys, by type: they are the record's known values for the free text
    beside them ("first_name": "Jane" next to "notes": "Jane asked for a call"). Read-only, and silent below
    ``MAX_DEPTH``: the walk that follows is the one that refuses data nested too deeply."""
    if depth > MAX_DEPTH:
        return
    if isinstance(data, Mapping):
        for k, v in data.items():
            if fields.matches(k) and isinstance(v, str) and v.strip():
                into.setdefault(field_type(k), set()).add(v)
            else:
                collect_field_values(v, fields, into, depth + 1)
    elif isinstance(data, list | tuple):
        for v in data:
            collect_field_values(v, fields, into, depth + 1)
