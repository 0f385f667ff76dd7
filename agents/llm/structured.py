"""Answers that must fit a pydantic schema: the instruction the model gets, and the validation of what it wrote.

The answer is parsed as the model wrote it (placeholders still in) and only then restored, inside the parsed
strings, so a real value containing a quote or a backslash cannot break the JSON. Restoring comes before schema
validation, so what is validated (and what a caller turns into missions, emails …) holds the real values. Only the
placeholders this very call issued are restored; an answer that uses any other one (the model made ``<EMAIL_7>``
up, or copied one from another conversation) is invalid: no real value stands behind it, and a mission or an
email must never run against a placeholder.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from agents.llm.errors import LLMInvalidOutput
from agents.llm.privacy import restore_strings, unissued_placeholders

if TYPE_CHECKING:
    import pydantic

    from agents.pii import Pseudonyms


def schema_instructions(schema: type[pydantic.BaseModel]) -> dict[str, str]:
    """The system message that asks for one JSON object fitting ``schema``, placeholders copied unchanged."""
    return {"role": "system", "content": (
        "Answer with one JSON object, and nothing else, that validates against this JSON schema:\n"
        + json.dumps(schema.model_json_schema(), sort_keys=True)
        + "\nPlaceholders such as <PERSON_1> or <EMAIL_1> stand for real values: copy them unchanged."
    )}


def with_schema(sent: list[dict[str, str]], schema: type[pydantic.BaseModel] | None) -> list[dict[str, str]]:
    """The pseudonymised messages, preceded by the schema instruction when there is a schema."""
    if schema is None:
        return sent
    # Added after pseudonymisation: the schema is ours and carries no personal data.
    return [schema_instructions(schema), *sent]


def refuse_unissued(value: Any, pseudonyms: Pseudonyms, *, expected: str, schema: str | None = None) -> None:
    """``LLMInvalidOutput`` when the answer (a text, or parsed JSON) uses a placeholder this call never issued.

    The message names the placeholders (they are ours, not personal data) and never the answer's other values.
    """
    unissued = unissued_placeholders(value, pseudonyms)
    if not unissued:
        return
    issued = [entry["placeholder"] for entry in pseudonyms.to_dict()["entries"]]
    one = len(unissued) == 1
    raise LLMInvalidOutput(
        f"The LLM's answer cannot be read as {expected}: it uses {_listed(unissued)}, "
        f"{'a placeholder' if one else 'placeholders'} this request never sent "
        f"(it sent: {_listed(issued) if issued else 'none'}), so no real value stands behind {'it' if one else 'them'}.",
        placeholders=unissued, **({"schema": schema} if schema else {}),
    )


def _listed(placeholders: list[str], limit: int = 5) -> str:
    more = len(placeholders) - limit
    return ", ".join(placeholders[:limit]) + (f" and {more} more" if more > 0 else "")


def parse(raw_text: str, schema: type[pydantic.BaseModel] | None, pseudonyms: Pseudonyms) -> Any:
    """Validate the answer (as the model wrote it, placeholders and all) and restore real values in the result.

    Without a schema the text answer is only checked for placeholders this call never issued (``None`` is
    returned); with one, the parsed JSON is checked, restored, then validated.
    """
    if schema is None:
        refuse_unissued(raw_text, pseudonyms, expected="an answer")
        return None
    import pydantic

    try:
        data = json.loads(raw_text)
    except ValueError as exc:
        raise LLMInvalidOutput(
            f"The LLM's answer is not valid JSON, so it cannot be read as {schema.__name__} "
            f"(the parser stopped at line {getattr(exc, 'lineno', '?')}, column {getattr(exc, 'colno', '?')}).",
            schema=schema.__name__,
        ) from None
    refuse_unissued(data, pseudonyms, expected=schema.__name__, schema=schema.__name__)
    try:
        return schema.model_validate(restore_strings(data, pseudonyms))
    except pydantic.ValidationError as exc:
        # Field paths and pydantic's messages only: the offending input may hold restored personal data.
        errors = exc.errors(include_input=False, include_url=False)
        paths = [".".join(str(part) for part in err["loc"]) or "(the whole answer)" for err in errors]
        problems = "; ".join(f"'{path}': {err['msg']}" for path, err in zip(paths, errors, strict=True))
        raise LLMInvalidOutput(
            f"The LLM's answer does not match {schema.__name__}: {len(errors)} field"
            f"{'s were' if len(errors) != 1 else ' was'} wrong — {problems}.",
            schema=schema.__name__, fields=paths,
        ) from None
