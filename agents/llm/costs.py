"""What a call costs (``REX_LLM_PRICES``, per million tokens) and what a mission or an agent has spent so far.

Spending is summed from the ``AgentLog`` rows the gateway writes (``agents.llm.audit``), never kept as counters.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum

if TYPE_CHECKING:
    from agents.base import MissionLike as Mission

logger = logging.getLogger(__name__)

MICRO_USD = Decimal("0.000001")  # AgentLog.llm_cost and LLMRequest.cost keep 6 decimal places
PER_MILLION = Decimal(1_000_000)

# Models already warned about in this process: an unpriced model is named once, not on every call.
_warned_unpriced: set[str] = set()


def price_of(model: str) -> dict[str, Decimal] | None:
    """The model's prices per million tokens (``prompt``, ``completion``), or None when ``REX_LLM_PRICES`` has none."""
    prices: Mapping[str, Mapping[str, Decimal]] = settings.REX_LLM_PRICES
    if model in prices:
        return dict(prices[model])
    # A dated snapshot ("gpt-4o-mini-2024-07-18") costs what its base model costs; the longest base wins, so
    # gpt-4o-mini-… is not priced as gpt-4o.
    bases = [name for name in prices if model.startswith(name + "-")]
    return dict(prices[max(bases, key=len)]) if bases else None


def cost_of(model: str, prompt_tokens: int, completion_tokens: int) -> Decimal:
    """USD for one call, from ``REX_LLM_PRICES`` (per million tokens); an unknown model costs 0 and is warned once."""
    price = price_of(model)
    if price is None:
        if model not in _warned_unpriced:
            _warned_unpriced.add(model)
            logger.warning("no price for LLM model %r in REX_LLM_PRICES; its calls are recorded at cost 0", model)
        return Decimal("0").quantize(MICRO_USD)
    total = (Decimal(prompt_tokens) * Decimal(price["prompt"])
             + Decimal(completion_tokens) * Decimal(price["completion"])) / PER_MILLION
    return total.quantize(MICRO_USD, rounding=ROUND_HALF_UP)


def _usage(queryset: QuerySet) -> dict[str, Any]:
    totals = queryset.filter(action__startswith="llm.").aggregate(
        # A submission is half of an asynchronous call; its answer ("llm.async") is the call that is counted.
        calls=Count("id", filter=~Q(action="llm.submit")),
        prompt_tokens=Sum("llm_prompt_tokens"),
        completion_tokens=Sum("llm_completion_tokens"),
        cost=Sum("llm_cost"),
    )
    return {"calls": totals["calls"] or 0, "prompt_tokens": totals["prompt_tokens"] or 0,
            "completion_tokens": totals["completion_tokens"] or 0,
            "cost": str(Decimal(totals["cost"] or 0).quantize(MICRO_USD))}


def no_usage() -> dict[str, Any]:
    """What ``usage_for_mission`` answers for a mission without LLM calls (one created just now, say)."""
    return {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0, "cost": str(Decimal(0).quantize(MICRO_USD))}


def usage_for_mission(mission: Mission) -> dict[str, Any]:
    """LLM calls, tokens and cost (USD, as a string) of one mission, over all its attempts."""
    from agents.models import AgentLog

    return _usage(AgentLog.objects.filter(mission=mission))


def usage_for_agent(name: str, since: datetime | None = None) -> dict[str, Any]:
    """LLM calls, tokens and cost (USD, as a string) of one agent, optionally since a moment."""
    from agents.models import AgentLog

    queryset = AgentLog.objects.filter(agent=name)
    if since is not None:
        queryset = queryset.filter(created_at__gte=since)
    return _usage(queryset)
