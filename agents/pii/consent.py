"""``redact_pii``: the entry point that prepares structured data for an LLM prompt, only with consent.

Consent is checked before anything is pseudonymised, so that without it nothing is even prepared for an LLM;
then values under PII fields become typed placeholders and every other string goes through the detector with
those values as the record's known values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from agents.pii.fields import FieldNames, field_type, llm_fields
from agents.pii.pseudonyms import Pseudonyms, pseudonymise
from agents.pii.walk import MAX_DEPTH, Redaction, collect_field_values, walk


class LLMConsentMissing(Exception):
    """The contact has not consented to their data reaching an LLM: skip the LLM step, let the rules answer."""


def _replace_field(value: Any, typ: str, pseudonyms: Pseudonyms, fields: FieldNames, depth: int) -> Any:
    """Everything under a PII field becomes placeholders, whatever its shape (a string, a number, a list, an
    address object)."""
    if depth > MAX_DEPTH:
        return pseudonyms.placeholder_for(typ, repr(value))
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return pseudonyms.placeholder_for(typ, value) if value.strip() else value
    if isinstance(value, int | float):
        return pseudonyms.placeholder_for(typ, str(value))
    if isinstance(value, Mapping):
        return {
            k: _replace_field(v, field_type(k) if fields.matches(k) else typ, pseudonyms, fields, depth + 1)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(_replace_field(v, typ, pseudonyms, fields, depth + 1) for v in value)
    return pseudonyms.placeholder_for(typ, str(value))


class _PromptRedaction(Redaction):
    """Reversible: typed placeholders from one shared :class:`Pseudonyms`, so the answer can be restored."""

    def __init__(self, fields: FieldNames, known: Mapping[str, Iterable[str]] | None, pseudonyms: Pseudonyms,
                 region: str | None) -> None:
        super().__init__(fields)
        self.known = known
        self.pseudonyms = pseudonyms
        self.region = region

    def field(self, key: str, value: Any, depth: int) -> Any:
        return _replace_field(value, field_type(key), self.pseudonyms, self.fields, depth)

    def text(self, value: str) -> str:
        return pseudonymise(value, known_values=self.known, pseudonyms=self.pseudonyms, region=self.region)[0]

    def too_deep(self, value: Any) -> Any:
        # Refused rather than cut: a prompt with a placeholder where a whole subtree was would mislead the LLM.
        raise ValueError("data nested too deeply to redact")


def redact_pii(
    data: Any,
    *,
    consent: bool,
    known_values: Mapping[str, Iterable[str]] | None = None,
    pseudonyms: Pseudonyms | None = None,
    fields: Iterable[str] | None = None,
    region: str | None = None,
) -> tuple[Any, Pseudonyms]:
    """A pseudonymised copy of ``data`` (dicts, lists, strings) for an LLM prompt, and the mapping to undo it.

    Raises :class:`LLMConsentMissing` without the contact's consent: the caller then skips the LLM step. Values
    under a PII field (``fields``, default ``settings.REX_PII_FIELDS``; keys compared case-insensitively, also as
    suffixes except ``name``) are replaced wholesale; they also count as known values of the record for every
    other string, which goes through :func:`pseudonymise` (phone region ``region``, default
    ``settings.REX_PII_DEFAULT_REGION``; the countries of the record's own phone numbers count too). ``data``
    is never modified.
    """
    if not consent:
        raise LLMConsentMissing("the contact has not consented to LLM processing; use the rules instead")
    field_names = llm_fields(fields)
    if pseudonyms is None:
        pseudonyms = Pseudonyms()
    collected: dict[str, set[str]] = {}
    for typ, values in (known_values or {}).items():
        collected.setdefault(typ, set()).update([values] if isinstance(values, str) else values)
    collect_field_values(data, field_names, collected)
    known = {t: sorted(v) for t, v in collected.items() if v}
    return walk(data, _PromptRedaction(field_names, known or None, pseudonyms, region)), pseudonyms
