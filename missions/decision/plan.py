"""The params models of the mission types the engine plans, and the ``CommandPlan`` the LLM must answer with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

MAX_PLANNED_MISSIONS = 10
# How far ahead a meeting may be booked; a window beyond it is almost always a typo in the year.
MAX_MEETING_DAYS_AHEAD = 366


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
DOMAIN_PATTERN = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
EMAIL_PATTERN = r"[^\s@<>\"']+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,63}"


class _Params(BaseModel):
    # A planned field the mission type does not know is a misunderstanding, not something to drop silently.
    model_config = ConfigDict(extra="forbid")


class BookMeetingParams(_Params):
    attendee: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=254,
                                               pattern=rf"^{EMAIL_PATTERN}$")]
    window_start: date
    window_end: date

    @model_validator(mode="after")
    def window_runs_forward(self) -> BookMeetingParams:
        if self.window_end < self.window_start:
            raise ValueError(f"the window ends ({self.window_end}) before it starts ({self.window_start})")
        return self


class TriageRepliesParams(_Params):
    campaign: Name | None = None


@dataclass(frozen=True)
class IntentSpec:
    """One thing REX can be asked to do: the mission type it plans, its params and how to describe them."""

    mission_type: str
    # None: the params model is the agent's own (``BaseAgent.Params``), found in the registry.
    params_model: type[BaseModel] | None
    params_hint: str


# The intent → mission type table: the one place that says which mission each command becomes.
INTENTS: dict[str, IntentSpec] = {
    "provision_domains": IntentSpec("provision_domains", None,
                                    '{"count": 1-100, "client": "<client name>", "warmup": true}'),
    "warmup_domain": IntentSpec("warmup", None, '{"domain": "<domain name, e.g. foo.example>"}'),
    "send_campaign": IntentSpec("send_campaign", None, '{"campaign": "<campaign>", "list": "<list>"}'),
    "assign_domains": IntentSpec("assign_domains", None, '{"count": 1-100, "campaign": "<campaign>"}'),
    "book_meeting": IntentSpec("book_meeting", BookMeetingParams,
                               '{"attendee": "<email>", "window_start": "YYYY-MM-DD", "window_end": "YYYY-MM-DD"}'),
    "triage_replies": IntentSpec("triage_replies", TriageRepliesParams, '{"campaign": "<campaign>"} or {}'),
    "canary": IntentSpec("canary", None, '{} (optionally "fail_times": 0-10, "message": "<text>")'),
}


def params_model_of(mission_type: str) -> type[BaseModel]:
    """The params model a planned mission of ``mission_type`` is validated by: its agent's own ``Params``.

    Imported here, whether the agent is installed or not, so a command for a missing agent is still read (and
    then refused as "no agent handles it"). The apps register their intents with these models next.
    """
    from agents.canary import CanaryAgent
    from domains.agents import AssignDomainsAgent, DomainProvisioningAgent, WarmupAgent
    from inboxes.agents import OutreachSendAgent

    spec = next(spec for spec in INTENTS.values() if spec.mission_type == mission_type)
    if spec.params_model is not None:
        return spec.params_model
    agents = (CanaryAgent, AssignDomainsAgent, DomainProvisioningAgent, WarmupAgent, OutreachSendAgent)
    return next(agent.Params for agent in agents if agent.name == mission_type)


# Intents the rules answer directly, without a mission.
QUERY_INTENTS = ("mission_status", "help")

MissionTypeName = Literal["provision_domains", "warmup", "send_campaign", "assign_domains", "book_meeting",
                          "triage_replies", "canary"]
IntentName = Literal["provision_domains", "warmup_domain", "send_campaign", "assign_domains", "book_meeting",
                     "triage_replies", "canary", "unknown"]


def readable_errors(exc: ValidationError) -> list[str]:
    """pydantic's errors as "field: message" lines a person can act on."""
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}" if where else message)
    return lines


def clean_params(mission_type: str, params: dict[str, Any], *, today: date) -> dict[str, Any]:
    """Validate the params the rules or the LLM produced for ``mission_type``; raises ValueError, readable."""
    model = params_model_of(mission_type)
    try:
        cleaned = model.model_validate(params, context={"today": today})
    except ValidationError as exc:
        raise ValueError("; ".join(readable_errors(exc))) from None
    if isinstance(cleaned, BookMeetingParams):
        if cleaned.window_start < today:
            raise ValueError(f"the window starts on {cleaned.window_start}, which is in the past (today is {today})")
        if cleaned.window_end > today + timedelta(days=MAX_MEETING_DAYS_AHEAD):
            raise ValueError(f"the window ends on {cleaned.window_end}, more than a year ahead")
    # What was planned, not the agent's defaults: the agent fills those in at intake.
    return cleaned.model_dump(mode="json", exclude_none=True, exclude_unset=True)


# --- layer 3's schema: what the LLM must answer ---------------------------------------------------------------------

class PlannedMission(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: MissionTypeName
    params: dict[str, Any] = Field(default_factory=dict)
    priority: Literal["high", "normal", "low"] = "normal"

    @model_validator(mode="after")
    def params_fit_the_type(self) -> PlannedMission:
        try:
            self.params = params_model_of(self.type).model_validate(self.params).model_dump(
                mode="json", exclude_none=True, exclude_unset=True)
        except ValidationError as exc:
            raise ValueError(f"params of {self.type}: {'; '.join(readable_errors(exc))}") from None
        return self


class CommandPlan(BaseModel):
    """The structured plan the LLM answers with; validated here before anything runs."""

    model_config = ConfigDict(extra="forbid")

    intent: IntentName
    missions: list[PlannedMission] = Field(default_factory=list, max_length=MAX_PLANNED_MISSIONS)
    confidence: float = Field(ge=0, le=1)
    explanation: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def missions_fit_the_intent(self) -> CommandPlan:
        if self.intent == "unknown":
            return self
        if not self.missions:
            raise ValueError(f"intent {self.intent!r} plans no mission")
        expected = INTENTS[self.intent].mission_type
        if all(mission.type != expected for mission in self.missions):
            raise ValueError(f"intent {self.intent!r} must plan at least one {expected!r} mission")
        return self
