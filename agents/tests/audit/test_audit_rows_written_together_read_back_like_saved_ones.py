"""``AgentLog.append_many`` (one COPY for an attempt's rows) stores what ``save()`` would: every field reads back the
same, the LLM cost to its six decimals, and the payload redacted."""

from decimal import Decimal

import pytest
from django.utils import timezone

from agents.models import AgentLog

pytestmark = pytest.mark.django_db

COMPARED = ("organization_id", "mission_id", "agent", "action", "level", "attempt", "payload", "duration_ms",
            "llm_prompt_tokens", "llm_completion_tokens", "llm_cost", "created_at", "request_id")


def row(organization, action: str, **extra) -> AgentLog:
    return AgentLog(organization=organization, agent="canary", action=action, level=AgentLog.Level.WARNING, attempt=2,
                    payload={"note": "call olivia@example.com", "password": "hunter2", "n": [1, None]},
                    duration_ms=17, created_at=timezone.now(), **extra)


def stored(action: str) -> dict:
    return dict(zip(COMPARED, AgentLog.objects.filter(action=action).values_list(*COMPARED).get(), strict=True))


def test_rows_appended_together_read_back_like_a_saved_one(organization):
    saved = row(organization, "saved", llm_prompt_tokens=120, llm_completion_tokens=30, llm_cost=Decimal("0.0012345"))
    together = [row(organization, "together", llm_prompt_tokens=120, llm_completion_tokens=30,
                    llm_cost=Decimal("0.0012345")), row(organization, "plain")]
    together[0].created_at = saved.created_at
    saved.save()
    AgentLog.append_many(together)

    first, second = stored("saved"), stored("together")
    assert {name for name in COMPARED if name != "action" and first[name] != second[name]} == set()
    assert second["llm_cost"] == Decimal("0.001235")  # rounded to the column's scale, as save() does
    assert second["payload"] == {"note": "call <EMAIL_1>", "password": "<REDACTED>", "n": [1, None]}
    assert stored("plain")["llm_cost"] == Decimal("0")
