"""What an agent is: a small class with a name, a version, a params schema and a ``run`` method.

The mission runner (``missions.runner``) owns claiming, leases, retries and the audit trail; an agent only
validates its parameters and does its work, raising ``RecoverableAgentError`` for what a retry may fix
(a timeout, a 5xx) and ``FatalAgentError`` for what it will not (bad data, a refusal).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from rest_framework import serializers

if TYPE_CHECKING:
    from missions.models import Mission


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


@dataclass
class AgentResult:
    """What an agent hands back: the data stored as the mission's result."""

    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class MissionContext:
    """What a running agent may look at: the mission, and whether it should stop early."""

    mission: Mission
    stop_requested: threading.Event = field(default_factory=threading.Event)

    @property
    def params(self) -> dict[str, Any]:
        return self.mission.params

    @property
    def attempt(self) -> int:
        return self.mission.attempts

    def should_stop(self) -> bool:
        """True once the mission was cancelled or its lease was lost; long agents check it between steps."""
        return self.stop_requested.is_set()


class BaseAgent:
    name: ClassVar[str]
    version: ClassVar[str] = "1"
    description: ClassVar[str] = ""
    # A DRF serializer for the mission params; its errors come back from intake as field errors under "params".
    params_serializer: ClassVar[type[serializers.Serializer] | None] = None

    def validate_params(self, params: Any) -> dict[str, Any]:
        if self.params_serializer is None:
            if not isinstance(params, dict):
                raise serializers.ValidationError("must be a JSON object")
            return params
        serializer = self.params_serializer(data=params)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def run(self, context: MissionContext) -> AgentResult:
        raise NotImplementedError(f"{type(self).__name__} must implement run()")
