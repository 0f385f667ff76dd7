"""The gateway's side of ``agents.pii``: pseudonymise what the model will see, restore what it answers.

One ``Pseudonyms`` mapping serves a whole prompt, so the same person is ``<PERSON_1>`` in every message; the
prompt hash is taken over the pseudonymised text, so it never depends on (or reveals) the real values.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agents.pii import Pseudonyms


def pseudonymise_messages(messages: Iterable[Mapping[str, str]], known_values: Any,
                          pseudonyms: Pseudonyms | None = None) -> tuple[list[dict[str, str]], Pseudonyms]:
    """Every message's content with personal data replaced; one ``Pseudonyms`` so numbering is shared."""
    from agents.pii import Pseudonyms, pseudonymise

    sent: list[dict[str, str]] = []
    for message in messages:
        content, pseudonyms = pseudonymise(str(message.get("content", "")), known_values=known_values,
                                           pseudonyms=pseudonyms)
        sent.append({**message, "content": content})
    if pseudonyms is None:
        pseudonyms = Pseudonyms()
    return sent, pseudonyms


def restore_strings(value: Any, pseudonyms: Pseudonyms) -> Any:
    """A parsed JSON value with placeholders restored inside every string (keys included)."""
    if isinstance(value, str):
        return pseudonyms.restore(value)
    if isinstance(value, list):
        return [restore_strings(item, pseudonyms) for item in value]
    if isinstance(value, dict):
        return {pseudonyms.restore(k): restore_strings(v, pseudonyms) for k, v in value.items()}
    return value


def unissued_placeholders(value: Any, pseudonyms: Pseudonyms) -> list[str]:
    """Placeholders inside every string of a parsed JSON value (keys included) that this call never issued."""
    found: dict[str, None] = {}

    def visit(item: Any) -> None:
        if isinstance(item, str):
            found.update(dict.fromkeys(pseudonyms.unissued_in(item)))
        elif isinstance(item, list):
            for element in item:
                visit(element)
        elif isinstance(item, dict):
            for key, element in item.items():
                visit(key)
                visit(element)

    visit(value)
    return list(found)


def pseudonyms_of(mapping: Mapping[str, Any] | None) -> Pseudonyms:
    """The mapping an asynchronous request stored (``LLMRequest.pseudonyms``), ready to restore its answer."""
    from agents.pii import Pseudonyms

    return Pseudonyms.from_dict(dict(mapping or {}))


def prompt_hash_of(model: str, sent: list[dict[str, str]]) -> str:
    """SHA-256 of the model and the pseudonymised messages: how a re-run finds the answer to the same question."""
    canonical = json.dumps({"model": model, "messages": sent}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
