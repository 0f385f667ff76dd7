"""What an agent is: a small class with a name, a version, a params model and a ``run`` method.

The mission runner (``missions.runner``) owns claiming, leases, retries and the audit trail; an agent only
validates its parameters and does its work, raising ``RecoverableAgentError`` for what a retry may fix
(a timeout, a 5xx) and ``FatalAgentError`` for what it will not (bad data, a refusal).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from rest_framework import serializers

from agents.params import AgentParams, validate_for_intake


class MissionLike(Protocol):
    """What the agent layer reads of the mission it runs for (``missions.models.Mission`` is one).

    A protocol rather than the model: agents sit below missions, which imports them.
    """

    id: Any
    type: str
    organization_id: int
    params: dict[str, Any]
    attempts: int
    result_key: str


class AgentError(Exception):
    recoverable: ClassVar[bool] = False

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def as_error(self) -> dict[str, Any]:
        return {"message": self.message, "recoverable": self.recoverable, "type": type(self).__name__,
                **({"details": self.details} if self.details else {})}


class RecoverableAgentError(AgentError):
    """A failure a later attempt may not meet: the spine retries after 2, 4 and 8 seconds."""

    recoverable = True


class FatalAgentError(AgentError):
    """A failure no retry will fix: the mission fails at once."""

    recoverable = False


class AwaitExternal(Exception):
    """Raised by an agent that has handed work to someone outside (an asynchronous LLM call, say).

    The runner parks the mission as ``waiting`` (no lease, no worker held) until ``Mission.resume`` is called
    for it — by the webhook that receives the answer — or the deadline passes, which counts as a recoverable
    failure. On resume the agent runs again from the start and finds the answer where the webhook stored it.
    """

    def __init__(self, reason: str, *, correlation_id: str, timeout_seconds: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.correlation_id = correlation_id
        self.timeout_seconds = timeout_seconds


@dataclass
class AgentResult:
    """What an agent hands back: the data stored as the mission's result.

    ``reused_from`` is set when the result was not computed now but found by the idempotency check ("cache" or
    "database"): the same agent already did this exact work within the hour.
    """

    data: dict[str, Any] = field(default_factory=dict)
    reused_from: str = ""


@dataclass
class StepRecord:
    """One lifecycle step as the audit trail keeps it; written as an AgentLog row with the attempt's outcome."""

    step: str
    level: str
    duration_ms: int
    payload: dict[str, Any]


@dataclass
class MissionContext:
    """What a running agent may look at: the mission, and whether it should stop early.

    It also collects the audit rows of the attempt's steps; the runner writes them in one INSERT together with
    the attempt's outcome, so an attempt's trail commits (or not) with its result.
    """

    mission: MissionLike
    stop_requested: threading.Event = field(default_factory=threading.Event)
    steps: list[StepRecord] = field(default_factory=list)

    @property
    def params(self) -> dict[str, Any]:
        return self.mission.params

    @property
    def attempt(self) -> int:
        return self.mission.attempts

    @property
    def organization_id(self) -> int:
        return self.mission.organization_id

    def should_stop(self) -> bool:
        """True once the mission was cancelled or its lease was lost; long agents check it between steps."""
        return self.stop_requested.is_set()

    def record_step(self, step: str, *, started: float, payload: dict[str, Any] | None = None,
                    level: str = "info") -> None:
        self.steps.append(StepRecord(step, level, int((time.monotonic() - started) * 1000), payload or {}))


class BaseAgent:
    """An agent is a small class: a name, a version, a params model and up to four steps.

    The lifecycle is validate → decide → execute → report; each step is timed and audited (an AgentLog row,
    payload redacted) without the agent doing anything. Only ``execute`` is required:

    - ``validate(context)``: the params, checked again at run time (an agent upgraded since intake may want
      more); a ``serializers.ValidationError`` here fails the mission at once.
    - ``decide(context, params)``: the deterministic plan (what to do), from plain logic first; an agent that
      needs judgement calls the LLM gateway here, behind rules that answer when it is unavailable.
    - ``execute(context, plan)``: the work (side effects carry their own idempotency keys).
    - ``report(context, outcome)``: the mission's result.

    Raise ``RecoverableAgentError`` for what a retry may fix (2 / 4 / 8 s, then fail), ``FatalAgentError`` for
    what it will not, ``AwaitExternal`` to park the mission until an outside answer arrives.
    """

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    description: ClassVar[str] = ""
    # The mission params, declared once (agents.params): intake and run-time validation (errors under "params"
    # in DRF's shape), the schema of what the rules and the LLM may plan, and the params' documentation.
    Params: ClassVar[type[AgentParams] | None] = None
    # False for an agent whose result must never be reused (e.g. a health probe that must really run).
    reuse_results: ClassVar[bool] = True
    # True for an agent that calls the LLM gateway in its missions: each such mission is priced at its token
    # budget (agents.spending.llm_estimate) and asks for approval like a purchase when over the threshold.
    uses_llm: ClassVar[bool] = False

    def validate_params(self, params: Any, *, refuse_unknown: bool = True) -> dict[str, Any]:
        """The params cleaned by ``Params``; raises ``serializers.ValidationError`` with per-field errors.

        Unknown fields are refused (intake) or, with ``refuse_unknown=False``, dropped (run time).
        """
        if self.Params is None:
            if not isinstance(params, dict):
                raise serializers.ValidationError("must be a JSON object")
            return params
        return validate_for_intake(self.Params, params, refuse_unknown=refuse_unknown)

    def check_at_intake(self, organization: Any, params: dict[str, Any]) -> dict[str, Any]:
        """Checks of cleaned params that need the organization's rows, made when the command is accepted (in
        its transaction, after every name it holds was found); returns the params, completed if need be.

        Raise ``serializers.ValidationError`` with per-field errors. The names (``agents.names``) are checked
        before; this is for what ties them together (e.g. a campaign and the pool it may draw from).
        """
        return params

    # --- the four steps (override what the agent needs) ------------------------------------------------------------

    def validate(self, context: MissionContext) -> dict[str, Any]:
        return self.validate_params(context.params, refuse_unknown=False)

    def decide(self, context: MissionContext, params: dict[str, Any]) -> dict[str, Any]:
        return params

    def execute(self, context: MissionContext, plan: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError(f"{type(self).__name__} must implement execute()")

    def report(self, context: MissionContext, outcome: dict[str, Any]) -> AgentResult:
        return AgentResult(outcome)

    # --- the lifecycle ---------------------------------------------------------------------------------------------

    def run(self, context: MissionContext) -> AgentResult:
        """Run the four steps, auditing each; an exception is audited on the step that raised it."""
        from agents import idempotency

        started = time.monotonic()
        if self.reuse_results:
            reused = idempotency.lookup(context.mission)
            if reused is not None:
                data, source = reused
                context.record_step("reuse", started=started, payload={"source": source})
                return AgentResult(data, reused_from=source)

        step = "validate"
        try:
            try:
                params = self.validate(context)
            except serializers.ValidationError as exc:
                raise FatalAgentError("params are not valid for this agent version", errors=exc.detail) from exc
            context.record_step(step, started=started, payload={"params": params})

            step, started = "decide", time.monotonic()
            plan = self.decide(context, params)
            context.record_step(step, started=started, payload={"plan": plan})

            step, started = "execute", time.monotonic()
            outcome = self.execute(context, plan)
            context.record_step(step, started=started)

            step, started = "report", time.monotonic()
            result = self.report(context, outcome)
            context.record_step(step, started=started, payload={"result": result.data})
        except AwaitExternal as wait:
            context.record_step(step, started=started, payload={"waiting_for": wait.reason,
                                                                "correlation_id": wait.correlation_id})
            raise
        except AgentError as exc:
            context.record_step(step, started=started, level="warning" if exc.recoverable else "error",
                                payload={"error": exc.as_error()})
            raise
        except Exception as exc:
            context.record_step(step, started=started, level="error",
                                payload={"error": {"message": f"{type(exc).__name__}: {exc}", "recoverable": False}})
            raise
        if self.reuse_results:
            # Before the outcome is committed: if this worker dies now, the re-run finds the result, not the work.
            idempotency.store(context.mission, result.data)
        return result
