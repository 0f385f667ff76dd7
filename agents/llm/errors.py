"""What can go wrong with an LLM call, as the exceptions callers and the mission runner act on.

``LLMCallFailed`` is recoverable (the mission is retried), ``LLMRequestRejected`` and ``LLMInvalidOutput`` are fatal;
``LLMUnavailable`` is caught by callers, who then use the rules. The last two are the webhook's own answers.
"""

from __future__ import annotations

from typing import Any

from agents.base import FatalAgentError, RecoverableAgentError


class LLMUnavailable(Exception):
    """No LLM is configured (no ``OPENAI_API_KEY``, or ``REX_LLM_ENABLED`` off): use the rules instead."""


class LLMCallFailed(RecoverableAgentError):
    """The call did not get through (retries exhausted, timeout, connection error): a later attempt may."""

    def __init__(self, message: str, *, retries: list[dict[str, Any]] | None = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.retries = retries or []


class LLMRequestRejected(FatalAgentError):
    """The provider refused the request itself (400, 401, 403, 404 …): sending it again will not help."""

    def __init__(self, message: str, *, retries: list[dict[str, Any]] | None = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.retries = retries or []


class LLMInvalidOutput(FatalAgentError):
    """The answer did not validate against the schema the caller asked for.

    ``str()`` is one readable paragraph naming the fields that were wrong; it never quotes the answer's values
    (they may carry restored personal data).
    """


class UnknownLLMResponse(Exception):
    """A webhook named a response id no LLMRequest of ours carries."""


class MissionNotParkedYet(Exception):
    """The answer arrived before the runner parked the mission: the provider should deliver it again shortly."""


class LLMBudgetExceeded(FatalAgentError, LLMUnavailable):
    """The call would pass the mission's or the organization's daily token budget: refused before it was made.

    Fatal for a mission's agent (the budget will not grow by retrying); an ``LLMUnavailable`` for callers that
    fall back to rules when the LLM cannot be used (the decision engine, triage), which then do so.
    """
