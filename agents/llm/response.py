"""The one shape every way into the gateway answers with."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass
class LLMResponse:
    """An answer with real values restored, what it cost, and the waits it took (``retries``)."""

    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    cost: Decimal
    duration_ms: int
    parsed: Any = None
    retries: list[dict] = field(default_factory=list)
