"""What a plan may contain: each mission type's params model, and the ``CommandPlan`` the LLM must answer with.

Nothing here names a mission type: the params models are the agents' own (``BaseAgent.Params``), reached through
the registered intents, and ``command_plan()`` builds the LLM's schema from them — a discriminated union with one
variant per mission type, so the JSON schema the LLM is given lists every field each agent accepts.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError, create_model, model_validator

from agents.params import clean
from missions.decision.intents import planned_intents

MAX_PLANNED_MISSIONS = 10
PRIORITIES = ("high", "normal", "low")


def readable_errors(exc: ValidationError) -> list[str]:
    """pydantic's errors as "field: message" lines a person can act on."""
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}" if where else message)
    return lines


def params_model_of(mission_type: str) -> type[BaseModel]:
    """The params model of ``mission_type``: its agent's ``Params``, as the intent that plans it registered it."""
    for intent in planned_intents():
        if intent.mission_type == mission_type and intent.params is not None:
            return intent.params
    raise LookupError(f"no intent plans {mission_type!r} missions")


def clean_params(mission_type: str, params: dict[str, Any], *, today: date) -> dict[str, Any]:
    """Validate the params the rules or the LLM produced for ``mission_type``; raises ValueError, readable.

    Only what was planned is kept (the agent fills its defaults in at intake), so a decision reads as what was
    asked: ``canary()``, not ``canary(fail_times=0, sleep_ms=0)``.
    """
    try:
        return clean(params_model_of(mission_type), params, today=today, exclude_unset=True)
    except ValidationError as exc:
        raise ValueError("; ".join(readable_errors(exc))) from None


def command_plan() -> type[BaseModel]:
    """The ``CommandPlan`` model for the intents registered now (built once per set of intents)."""
    return _build_command_plan(tuple((intent.name, intent.mission_type, intent.params) for intent in planned_intents()))


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


@functools.lru_cache(maxsize=8)
def _build_command_plan(planned: tuple[tuple[str, str, type[BaseModel]], ...]) -> type[BaseModel]:
    models: dict[str, type[BaseModel]] = {}
    for _intent, mission_type, params in planned:
        models.setdefault(mission_type, params)
    forbid = ConfigDict(extra="forbid")
    variants = {
        mission_type: create_model(
            f"{_camel(mission_type)}Mission", __config__=forbid,
            type=(Literal[mission_type], ...),
            # Absent params are {} validated like any other: a type with a required param refuses them.
            params=(params, Field(default_factory=dict, validate_default=True)),
            priority=(Literal[PRIORITIES], "normal"),
        )
        for mission_type, params in models.items()
    }
    known = ", ".join(repr(name) for name in variants)

    def mission_type_of(value: Any) -> str | None:
        found = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
        return found if found in variants else None

    # The error names the field and the types REX knows, never the value (it may hold restored personal data).
    # A lone variant is the canary alone (no app registered an intent): pydantic wants two for a union.
    planned_mission: Any = next(iter(variants.values())) if len(variants) == 1 else Annotated[
        Union[tuple(Annotated[model, Tag(name)] for name, model in variants.items())],  # noqa: UP007
        Discriminator(mission_type_of, custom_error_type="mission_type",
                      custom_error_message=f"its 'type' should be one of {known}"),
    ]
    mission_of_intent = {name: mission_type for name, mission_type, _params in planned}

    def missions_fit_the_intent(plan: Any) -> Any:
        if plan.intent == "unknown":
            return plan
        if not plan.missions:
            raise ValueError(f"intent {plan.intent!r} plans no mission")
        expected = mission_of_intent[plan.intent]
        if all(mission.type != expected for mission in plan.missions):
            raise ValueError(f"intent {plan.intent!r} must plan at least one {expected!r} mission")
        return plan

    return create_model(
        "CommandPlan", __config__=forbid,
        __doc__="The structured plan the LLM answers with; validated before anything runs.",
        __validators__={"missions_fit_the_intent": model_validator(mode="after")(missions_fit_the_intent)},
        intent=(Literal[(*mission_of_intent, "unknown")], ...),
        missions=(list[planned_mission], Field(default_factory=list, max_length=MAX_PLANNED_MISSIONS)),
        confidence=(float, Field(ge=0, le=1)),
        explanation=(str, Field(default="", max_length=2000)),
    )
