"""An agent's params, declared once: one pydantic model per agent (``BaseAgent.Params``).

The same model is

- the validation at intake and at run time (``validate_for_intake``), whose errors keep DRF's shape
  (``{"field": ["message"]}``, DRF's wording for the usual mistakes) so the API answers 400 as it always did;
- the schema of the params an LLM may plan for the agent's missions (``extra="forbid"``: a planned field the
  agent does not know is a misunderstanding, not something to drop);
- the documentation of the params (``field_docs``, ``params_hint``), for docs/agents.md and the planner prompt.

Declaring the params once is what keeps the three from drifting apart: a field an agent accepts is a field the
rules and the LLM can plan.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, get_args, get_origin

from django.utils import timezone
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, ValidationInfo
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from rest_framework import serializers


class AgentParams(BaseModel):
    """The base of every agent's params model."""

    # coerce_numbers_to_str: DRF's CharField read 123 as "123"; integrations that relied on it keep working.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


# A name as people type it (a client, a campaign, a list): trimmed, not blank, at most 100 characters.
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


def today_of(info: ValidationInfo) -> date:
    """The day a params check counts from: the caller's ``today`` (tests and the engine inject it), else now (UTC)."""
    context = info.context or {}
    return context.get("today") or timezone.now().date()


def clean(model: type[BaseModel], params: Any, *, today: date | None = None, exclude_unset: bool = False) -> dict[str, Any]:
    """``params`` validated by ``model``, as JSON-ready data; raises pydantic's ValidationError.

    ``exclude_unset`` keeps only what was given (a plan says what was asked; the agent fills the defaults at
    intake). Optional fields left empty are dropped, as DRF's serializers did.
    """
    context = {"today": today} if today is not None else None
    cleaned = model.model_validate(params, context=context)
    return cleaned.model_dump(mode="json", exclude_none=True, exclude_unset=exclude_unset)


# DRF's wording for the mistakes people make most; anything else keeps pydantic's message.
_DRF_MESSAGES = {
    "missing": "This field is required.",
    "int_type": "A valid integer is required.",
    "int_parsing": "A valid integer is required.",
    "int_from_float": "A valid integer is required.",
    "less_than_equal": "Ensure this value is less than or equal to {le}.",
    "greater_than_equal": "Ensure this value is greater than or equal to {ge}.",
    "string_too_long": "Ensure this field has no more than {max_length} characters.",
    "string_type": "Not a valid string.",
    "bool_type": "Must be a valid boolean.",
    "bool_parsing": "Must be a valid boolean.",
    "date_type": "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
    "date_parsing": "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
    "date_from_datetime_parsing": "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
}


def _drf_message(error: dict[str, Any]) -> str:
    if error["type"] == "string_too_short" and (error.get("ctx") or {}).get("min_length") == 1:
        return "This field may not be blank."
    template = _DRF_MESSAGES.get(error["type"])
    if template is not None:
        return template.format(**(error.get("ctx") or {}))
    return str(error["msg"]).removeprefix("Value error, ")


def drf_errors(exc: ValidationError) -> dict[str, list[str]]:
    """pydantic's errors in DRF's shape: ``{"field": ["message", …]}``, model-wide ones under ``non_field_errors``."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or "non_field_errors"
        errors.setdefault(where, []).append(_drf_message(error))
    return errors


UNKNOWN_FIELD = "Unknown field: this agent takes {known}."


def validate_for_intake(model: type[BaseModel], params: Any, *, today: date | None = None,
                        refuse_unknown: bool = True) -> dict[str, Any]:
    """The params a mission is created (or run) with, validated by ``model``; raises ``serializers.ValidationError``.

    At intake a field the model does not know is refused on that field: dropped silently, a misspelt ``limt``
    would send to the whole list. At run time (``refuse_unknown=False``) it is dropped, so a mission stored
    before its agent stopped taking a field still runs.
    """
    if not isinstance(params, dict):
        raise serializers.ValidationError(
            {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {type(params).__name__}."]})
    unknown = [name for name in params if name not in model.model_fields]
    if unknown and refuse_unknown:
        known_fields = ", ".join(model.model_fields) or "no params"
        raise serializers.ValidationError({name: [UNKNOWN_FIELD.format(known=known_fields)] for name in unknown})
    known = {name: value for name, value in params.items() if name in model.model_fields}
    try:
        return clean(model, known, today=today)
    except ValidationError as exc:
        raise serializers.ValidationError(drf_errors(exc)) from None


# --- documentation ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldDoc:
    """One param as docs and prompts describe it."""

    name: str
    type: str
    required: bool
    default: Any
    constraints: str
    description: str

    def line(self) -> str:
        """``count`` (integer, 1 to 100, required): how many domains to buy."""
        facts = [self.type, *([self.constraints] if self.constraints else [])]
        facts.append("required" if self.required else ("optional" if self.default is None
                                                       else f"default {_json(self.default)}"))
        return f"`{self.name}` ({', '.join(facts)})" + (f": {self.description}" if self.description else "")


_TYPE_NAMES = {int: "integer", str: "text", bool: "true/false", float: "number", date: "date YYYY-MM-DD"}


def _type_name(annotation: Any) -> str:
    if get_origin(annotation) is Annotated:
        return _type_name(get_args(annotation)[0])
    args = [arg for arg in get_args(annotation) if arg is not type(None)]
    if args and get_origin(annotation) is not None:
        return " or ".join(_type_name(arg) for arg in args)
    return _TYPE_NAMES.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _metadata(annotation: Any) -> list[Any]:
    """The constraints inside an annotation, also those of an ``Annotated`` wrapped in ``X | None``."""
    if get_origin(annotation) is Annotated:
        return list(get_args(annotation)[1:])
    return [item for arg in get_args(annotation) for item in _metadata(arg)]


def _constraints(info: FieldInfo) -> str:
    bounds: dict[str, Any] = {}
    for item in [*info.metadata, *_metadata(info.annotation)]:
        for attribute in ("ge", "le", "max_length"):
            value = getattr(item, attribute, None)
            if value is not None:
                bounds[attribute] = value
    low, high = bounds.get("ge"), bounds.get("le")
    parts = []
    if low is not None and high is not None:
        parts.append(f"{low} to {high}")
    elif low is not None:
        parts.append(f"≥ {low}")
    elif high is not None:
        parts.append(f"≤ {high}")
    if bounds.get("max_length"):
        parts.append(f"≤ {bounds['max_length']} characters")
    return ", ".join(parts)


def _json(value: Any) -> str:
    return json.dumps(value, default=str)


def field_docs(model: type[BaseModel]) -> list[FieldDoc]:
    """Every param of ``model``, in declaration order: name, type, whether required, default, range, description."""
    docs = []
    for name, info in model.model_fields.items():
        default = None if info.default is PydanticUndefined else info.default
        docs.append(FieldDoc(name, _type_name(info.annotation), info.is_required(), default, _constraints(info),
                             info.description or ""))
    return docs


def params_hint(model: type[BaseModel]) -> str:
    """The params of ``model`` on one line, for the planner prompt (the JSON schema goes with it)."""
    return "; ".join(doc.line() for doc in field_docs(model)) or "none"
