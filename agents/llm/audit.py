"""The one ``AgentLog`` row every LLM call writes: what the model saw, the waits taken, tokens and cost.

Payloads still pass through the audit redaction in ``AgentLog.save``; what the model saw is placeholders already.
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agents.base import MissionLike as Mission
    from tenants.models import Organization

# Longest answer excerpt kept in an audit row: enough to see why an answer failed validation.
MAX_LOGGED_ANSWER_CHARS = 4000
# Outcomes that are not failures; anything else is logged at ERROR level.
SUCCESSFUL_OUTCOMES = ("succeeded", "submitted", "completed")


def log_call(*, organization: Organization | None, organization_id: int | None = None, mission: Mission | None,
             agent: str, action: str, outcome: str, model: str, duration_ms: int, messages_as_sent: Any = None,
             retries: list[dict[str, Any]] | None = None, prompt_tokens: int = 0, completion_tokens: int = 0,
             cost: Decimal | None = None, error: dict[str, Any] | None = None, **extra: Any) -> None:
    """Write the call's audit row; ``extra`` lands in the payload (the answer excerpt, the request id …)."""
    from agents.models import AgentLog

    payload: dict[str, Any] = {"model": model, "retries": retries or [], "outcome": outcome, **extra}
    if messages_as_sent is not None:
        payload["messages_as_sent"] = messages_as_sent
    if error:
        payload["error"] = error
    AgentLog.objects.create(
        organization_id=organization.pk if organization is not None else organization_id,
        mission=mission, agent=agent, action=action,
        level=AgentLog.Level.INFO if outcome in SUCCESSFUL_OUTCOMES else AgentLog.Level.ERROR,
        attempt=mission.attempts if mission is not None else 0,
        payload=payload, duration_ms=max(duration_ms, 0),
        llm_prompt_tokens=prompt_tokens, llm_completion_tokens=completion_tokens,
        llm_cost=cost if cost is not None else Decimal(0),
    )


def excerpt(text: str) -> str:
    """An answer cut to what an audit row keeps."""
    return text if len(text) <= MAX_LOGGED_ANSWER_CHARS else text[:MAX_LOGGED_ANSWER_CHARS] + " …"


def since(started: float) -> int:
    """Milliseconds since ``started`` (a ``time.monotonic()`` reading)."""
    return int((time.monotonic() - started) * 1000)
