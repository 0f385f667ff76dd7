"""Field names: which keys of structured data hold personal data or secrets, and the PII type each one holds.

Both redactions of structured data read their keys through this one matcher: the LLM prompt redaction
(``redact_pii``, names from ``settings.REX_PII_FIELDS``) and the audit-log redaction (``redact_payload``, names
from ``settings.REX_REDACT_FIELDS`` *and* ``REX_PII_FIELDS``). The two settings stay separate because they are
configured separately and mean different things for a value: under an LLM field it becomes a typed, restorable
placeholder and a known value of the record, so credentials (which have no PII type) do not belong there; under
an audit field it is simply gone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# Fields matched only exactly, never as a suffix: "product_name" or "file_name" are not a person.
_EXACT_ONLY_FIELDS = frozenset({"name"})
_FIELD_TYPE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"e_?mail"), "EMAIL"),
    (re.compile(r"(^|_)ip(_|$)|ip_?address|ipv[46]"), "IP_ADDRESS"),
    (re.compile(r"iban|bank_?account"), "IBAN"),
    (re.compile(r"card|(^|_)cc(_|$)|(^|_)pan(_|$)"), "CREDIT_CARD"),
    (re.compile(r"ssn|social_?security"), "US_SSN"),
    (re.compile(r"phone|mobile|tel|fax|cell|whatsapp"), "PHONE"),
    (re.compile(r"company|organi[sz]ation|(^|_)org(_|$)|employer|business|account_name"), "ORGANIZATION"),
    (re.compile(r"street|address|city|zip|post|addr"), "STREET_ADDRESS"),
)


def _norm_key(key: str) -> str:
    return _CAMEL_RE.sub("_", key).lower().replace("-", "_").replace(" ", "_")


def _key_forms(key: str) -> tuple[str, ...]:
    """The spellings a key is compared in. The LLM redaction split camelCase ("lastName" -> "last_name"), the
    audit redaction only lower-cased ("apiKey" -> "apikey", which a configured "apikey" must keep matching):
    the merged matcher tries both, so neither list matches fewer keys than it did."""
    norm = _norm_key(key)
    plain = key.lower().replace("-", "_")
    return (norm,) if plain == norm else (norm, plain)


def field_type(key: str) -> str:
    """The PII type of a configured field, guessed from its name (a name, when nothing else fits)."""
    k = _norm_key(key)
    for rule, typ in _FIELD_TYPE_RULES:
        if rule.search(k):
            return typ
    return "PERSON"


@dataclass(frozen=True)
class FieldNames:
    """Normalised field names, and those of them that match only a whole key, never a key's suffix."""

    names: frozenset[str]
    exact_only: frozenset[str] = _EXACT_ONLY_FIELDS
    # The answer per key, as ``matches`` found it: every audit row's payload asks about the same few keys, and
    # each answer costs a suffix test against every name (~70). Bounded: keys come from outside too.
    _answers: dict[str, bool] = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    @classmethod
    def of(cls, names: Iterable[str], *, as_suffix_too: Iterable[str] = ()) -> FieldNames:
        """``names`` as configured (any case, camelCase, dashes); every name also matches as a key's suffix
        ("billing_email"), except ``name``, unless ``as_suffix_too`` lists it."""
        normalised = frozenset(form for name in names for form in _key_forms(name))
        exempt = frozenset(form for name in as_suffix_too for form in _key_forms(name))
        return cls(normalised, _EXACT_ONLY_FIELDS - exempt)

    def matches(self, key: Any) -> bool:
        if not isinstance(key, str):
            return False
        answer = self._answers.get(key)
        if answer is None:
            answer = self._decide(key)
            if len(self._answers) >= _MAX_REMEMBERED_KEYS:
                self._answers.clear()
            self._answers[key] = answer
        return answer

    def _decide(self, key: str) -> bool:
        for k in _key_forms(key):
            if k in self.names or any(k.endswith("_" + f) for f in self.names if f not in self.exact_only):
                return True
        return False


_MAX_REMEMBERED_KEYS = 4096


def llm_fields(names: Iterable[str] | None = None) -> FieldNames:
    """The fields ``redact_pii`` replaces wholesale: ``names``, or ``settings.REX_PII_FIELDS``."""
    if names is None:
        from django.conf import settings

        names = settings.REX_PII_FIELDS
    return _field_names(tuple(names), ())


def audit_fields() -> FieldNames:
    """The fields whose values never reach the audit log: ``settings.REX_REDACT_FIELDS`` (credentials and
    personal fields) and every ``REX_PII_FIELDS`` name too. The union, because a value hidden from the LLM must
    not be readable in the audit log either ("company", "name", "address_line1" used to be stored in clear
    there). ``name`` stays exact-only unless REX_REDACT_FIELDS itself lists it, as it did before the merge."""
    from django.conf import settings

    redact = tuple(settings.REX_REDACT_FIELDS)
    return _field_names((*redact, *settings.REX_PII_FIELDS), redact)


@lru_cache(maxsize=16)
def _field_names(names: tuple[str, ...], as_suffix_too: tuple[str, ...]) -> FieldNames:
    """One matcher per configuration, built once: every audit row of every mission asks for it (a worker wrote
    ~5 rows a mission and spent a fifth of its CPU rebuilding it, bench/batch_worker.py). Keyed by the settings'
    values, so an override (tests, a reconfigured process) gets its own."""
    return FieldNames.of(names, as_suffix_too=as_suffix_too)
