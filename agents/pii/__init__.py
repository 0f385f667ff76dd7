"""PII detection in free text and reversible pseudonymisation before any LLM call.

What is found (docs/pii.md has the rules, the command and the known limits):

- structured values, each validated so that look-alikes are not flagged: EMAIL (a pragmatic RFC 5322 subset,
  plus "jane [at] acme [dot] de"), PHONE (number runs validated against ``phonenumbers``' metadata: national
  formats of the given region, international formats of any country; well-formed numbers no carrier assigned
  when written like phone numbers, in the document's regions or those the text hints at), CREDIT_CARD (12-19
  digits, every issuer's range and lengths, Luhn), IBAN (country length table, mod-97), US_SSN (area / group /
  serial rules), IP_ADDRESS (IPv4, IPv6 via ``ipaddress``); words right before a number ("Order #",
  "Rechnung Nr.", "ISBN", a carrier's name) veto numbers that are references, not personal data;
- the known values of the record being processed (PERSON, ORGANIZATION, STREET_ADDRESS, or any other type):
  case-insensitive, whitespace-tolerant, on word boundaries, with or without accents; also a person's first or
  last name alone, "Doe, Jane", "J. Doe", a company without its legal form, a street with its usual
  abbreviation;
- other people's names (PERSON), by a switchable stage (``REX_PII_NAMES``): a first/last-name gazetteer from
  Faker's person providers with capitalisation, title, greeting, self-introduction and signature rules.

Pseudonymisation replaces each span by ``<TYPE_N>``; a :class:`Pseudonyms` keeps the mapping so the gateway can
put the real values back into the LLM's answer (:meth:`Pseudonyms.restore`) and can store it meanwhile.

Speed matters (every prompt and every stored answer goes through here; target >= 5 MB/s, measured by
``bench/pii.py``): the text is scanned once for number runs, shared by cards and phones; other detectors start
from cheap literal seeds ('@', a dot, "-dd-dddd", two letters before two digits); phone validation uses
``phonenumbers``' metadata with the patterns compiled once (``nsn_valid``) and its parser only for the few
formats that need it; known values are found with ``str.find``, never with a regex compiled per record.

Layout (one concern per module; this package re-exports the names the rest of REX imports):

- ``spans``: ``Span``, ``PII_TYPES``, and how overlapping detections are settled;
- ``context``: character classes, number runs, and the words before a number that make it a reference;
- ``emails``, ``ibans``, ``cards``, ``ssn``, ``ips``, ``phones``: one finder per structured type;
- ``validators``: IBAN mod-97 and lengths, Luhn, card issuers; ``phone_metadata``: ``nsn_valid`` and the
  ``phonenumbers`` checks without ``parse()``;
- ``phrases`` and ``known``: the phrases a record's own values give, and finding them in text;
- ``names``: other people's names; ``regions``: the countries a text hints at, for national phone numbers;
- ``detector``: ``detect()``; ``pseudonyms``: ``Pseudonyms``, ``pseudonymise``, ``redact``;
- ``fields``: field names and key matching; ``walk``: the one walker over structured data; ``consent``:
  ``redact_pii`` and ``LLMConsentMissing``; ``audit``: ``redact_payload`` for AgentLog payloads.
"""

from __future__ import annotations

import hashlib
import os
import sys
import sysconfig
import warnings
from collections.abc import Sequence
from importlib import import_module
from importlib.machinery import ModuleSpec
from importlib.util import spec_from_file_location
from pathlib import Path
from types import ModuleType
from typing import Any

# The detector's modules that scripts/build_pii.py compiles with mypyc into C extensions beside their sources
# (``make install`` runs it; docs/performance.md, "Compiled and settled"). Python imports an extension in
# preference to the .py of the same name; the .py is the source and the fallback where nothing was built. Django is
# imported by none of them (``detector`` reads settings lazily).
COMPILED_MODULES: tuple[str, ...] = (
    "cards", "context", "detector", "emails", "ibans", "ips", "known", "names", "phone_metadata", "phones",
    "overlaps", "phrases", "regions", "ssn", "validators",
)
# Set to 1, the detector runs from its Python sources even where extensions were built (bench/pii_compiled_ab.py
# times one against the other).
PURE_PYTHON_ENV = "REX_PII_PURE_PYTHON"
# What the extensions were built from: written by scripts/build_pii.py, "<sha256 of the sources> <modules>".
BUILT_FROM = Path(__file__).with_name(".compiled-from")


def sources_digest(modules: Sequence[str]) -> str:
    """sha256 of the sources of ``modules``, in that order: the extensions are current when it is the one they
    were built from."""
    digest = hashlib.sha256()
    for name in modules:
        digest.update(Path(__file__).with_name(f"{name}.py").read_bytes())
    return digest.hexdigest()


class _SourcesOnly:
    """An import finder that loads this package's submodules from their .py files, never from an extension."""

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package != __name__:
            return None
        source = Path(__file__).with_name(f"{name}.py")
        return spec_from_file_location(fullname, source) if source.is_file() else None


def _stale_extensions() -> bool:
    """Whether extensions are here that were not built from the sources as they are now (a source edited after
    the build): those would run instead of the edit, so the sources are imported instead, with a warning."""
    suffix = str(sysconfig.get_config_var("EXT_SUFFIX"))
    if not any(name.endswith(suffix) for name in os.listdir(Path(__file__).parent)):
        return False
    try:
        digest, modules = BUILT_FROM.read_text().split()
    except (OSError, ValueError):
        return True
    return digest != sources_digest(modules.split(","))


if os.environ.get(PURE_PYTHON_ENV, "") not in ("", "0"):
    sys.meta_path.insert(0, _SourcesOnly())
elif _stale_extensions():
    warnings.warn("agents/pii: the compiled extensions are older than the sources; importing the sources "
                  "(run scripts/build_pii.py to rebuild, or --clean to remove them)", RuntimeWarning, stacklevel=1)
    sys.meta_path.insert(0, _SourcesOnly())


def compiled_modules() -> list[str]:
    """The detector's modules imported from a compiled extension (none in pure-Python mode, where nothing was
    built, or where the build is stale)."""
    return [name for name in COMPILED_MODULES
            if not str(getattr(import_module(f"{__name__}.{name}"), "__file__", "")).endswith(".py")]


# Where each exported name lives. The submodules are imported on first use (PEP 562): agents.models imports
# redact_payload when Django starts, and that alone must not compile the detector's patterns or load
# phonenumbers (about 50 ms), as when the audit redaction was its own module that imported the detector lazily.
_EXPORTS: dict[str, str] = {
    "DETECTORS": "detector",
    "IBAN_LENGTHS": "validators",
    "LLMConsentMissing": "consent",
    "PII_TYPES": "spans",
    "Pseudonyms": "pseudonyms",
    "REDACTED": "audit",
    "Span": "spans",
    "default_region": "detector",
    "detect": "detector",
    "field_type": "fields",
    "iban_valid": "validators",
    "luhn_valid": "validators",
    "names_enabled": "detector",
    "card_issuer_ok": "validators",
    "find_names": "names",
    "nsn_valid": "phone_metadata",
    "pseudonymise": "pseudonyms",
    "redact": "pseudonyms",
    "redact_payload": "audit",
    "redact_pii": "consent",
    # bench/pii.py times the known-value finder alone, on known values normalised as detect() does.
    "_normalise_known": "known",
    # ... and empties the caches of text already seen before every timed pass.
    "_forget_seen_text": "detector",
}

__all__ = [name for name in _EXPORTS if not name.startswith("_")]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups find it without coming back here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
