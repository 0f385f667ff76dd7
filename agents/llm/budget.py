"""Token budgets, checked BEFORE a call leaves the building: per mission and per organization per UTC day.

Tokens used are summed from the ``AgentLog`` rows the gateway writes (as ``costs`` does); the call about to be
made is counted at its prompt (about four characters a token, the usual rule for English text with OpenAI's
tokenizers) plus ``REX_LLM_ANSWER_TOKENS_ALLOWANCE`` for the answer. A call that would pass either budget is
refused with ``LLMBudgetExceeded`` and nothing is sent.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import F, Sum
from django.utils import timezone

from agents.llm.errors import LLMBudgetExceeded

if TYPE_CHECKING:
    from agents.base import MissionLike as Mission

CHARACTERS_PER_TOKEN = 4


def planned_tokens(content: Any) -> int:
    """What a call with ``content`` (messages, a crew's texts) is counted at before it is made."""
    text = content if isinstance(content, str) else json.dumps(content, default=str, ensure_ascii=False)
    return len(text) // CHARACTERS_PER_TOKEN + 1 + settings.REX_LLM_ANSWER_TOKENS_ALLOWANCE


def _tokens(**filters: Any) -> int:
    from agents.models import AgentLog

    used = (AgentLog.objects.filter(action__startswith="llm.", **filters)
            .aggregate(tokens=Sum(F("llm_prompt_tokens") + F("llm_completion_tokens")))["tokens"])
    return int(used or 0)


def check_token_budget(*, organization_id: int | None, mission: Mission | None, planned: int) -> None:
    """Refuse (``LLMBudgetExceeded``) a call of ``planned`` tokens that would pass the mission's or the day's budget."""
    from agents.models import SpendBudget
    from agents.spending import llm_tokens_per_day, llm_tokens_per_mission

    if organization_id is None:
        return
    budget = SpendBudget.objects.filter(organization_id=organization_id).first() or SpendBudget()
    if mission is not None:
        limit = llm_tokens_per_mission(budget)
        used = _tokens(mission_id=mission.pk)
        if used + planned > limit:
            raise LLMBudgetExceeded(
                f"LLM token budget of mission {mission.pk} reached: {used:,} of {limit:,} tokens used, this call "
                f"needs about {planned:,}; no call was made", used=used, limit=limit, planned=planned, scope="mission")
    limit = llm_tokens_per_day(budget)
    midnight = datetime.combine(timezone.now().date(), time.min, tzinfo=UTC)
    used = _tokens(organization_id=organization_id, created_at__gte=midnight)
    if used + planned > limit:
        raise LLMBudgetExceeded(
            f"LLM token budget of the organization for today reached: {used:,} of {limit:,} tokens used, this call "
            f"needs about {planned:,}; no call was made", used=used, limit=limit, planned=planned, scope="day")
