"""What a decision is: the missions it plans (or the answer it gives), and a refusal that knows its layer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from missions.models import Priority
from missions.services import CommandRejected

LAYERS = ("structured", "rules", "llm")


@dataclass
class MissionSpec:
    type: str
    params: dict[str, Any]
    priority: str = Priority.NORMAL
    idempotency_key: str | None = None


@dataclass
class Decision:
    layer: str
    intent: str
    missions: list[MissionSpec] = field(default_factory=list)
    answer: dict[str, Any] | None = None
    summary: str = ""
    # A control (pause an inbox…): run by ``do_command`` in the transaction that records the decision; its return
    # value becomes ``answer``.
    control: Callable[[], dict[str, Any]] | None = None


class DecisionRejected(CommandRejected):
    """A refusal that knows which layer made it, so the rejected decision is recorded against that layer."""

    def __init__(self, errors: dict[str, Any], *, layer: str, intent: str = "", summary: str = "",
                 note: str = "") -> None:
        super().__init__(errors)
        self.layer = layer
        self.intent = intent
        self.summary = summary
        # Kept in the recorded decision only (e.g. why the LLM was not asked), not shown to the caller.
        self.note = note


def reject(message: str, *, layer: str = "rules", intent: str = "", summary: str = "", note: str = "") -> DecisionRejected:
    return DecisionRejected({"command": [message]}, layer=layer, intent=intent, summary=summary, note=note)


def describe(spec: MissionSpec) -> str:
    args = ", ".join(f"{key}={value!r}" for key, value in spec.params.items())
    return f"{spec.type}({args})"


def shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
