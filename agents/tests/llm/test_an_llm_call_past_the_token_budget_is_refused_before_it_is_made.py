"""Token budgets are checked BEFORE each gateway call: a call that would pass the mission's budget, or the
organization's budget for the day, is refused with a reason that says which and by how much, and the (fake)
provider receives nothing. Within the budgets the call is made as usual."""

import pytest

from agents import llm
from agents.models import SpendBudget
from missions.models import Mission

MESSAGES = [{"role": "user", "content": "Suggest a subject line."}]


def test_a_call_past_the_missions_token_budget_is_refused_before_anything_is_sent(fake_openai, settings,
                                                                                  organization):
    settings.REX_LLM_ANSWER_TOKENS_ALLOWANCE = 100
    SpendBudget.objects.create(organization=organization, llm_tokens_per_mission=1_500)
    mission = Mission.objects.create(organization=organization, type="canary", idempotency_key="token-budget")
    fake_openai.reply("first", prompt_tokens=1_200, completion_tokens=200)
    llm.complete(MESSAGES, organization=organization, mission=mission, agent="planner", consent=True)
    assert len(fake_openai.received("/chat/completions")) == 1

    with pytest.raises(llm.LLMBudgetExceeded) as refused:
        llm.complete(MESSAGES, organization=organization, mission=mission, agent="planner", consent=True)

    assert str(refused.value) == (f"LLM token budget of mission {mission.pk} reached: 1,400 of 1,500 tokens used, "
                                  "this call needs about 115; no call was made")
    assert refused.value.as_error()["recoverable"] is False
    assert isinstance(refused.value, llm.LLMUnavailable)  # callers with rules fall back to them
    assert len(fake_openai.received("/chat/completions")) == 1

    other = Mission.objects.create(organization=organization, type="canary", idempotency_key="token-budget-2")
    fake_openai.reply("fresh budget")
    assert llm.complete(MESSAGES, organization=organization, mission=other, agent="planner", consent=True).text == (
        "fresh budget")


def test_a_call_past_the_organizations_daily_token_budget_is_refused(fake_openai, settings, organization):
    settings.REX_LLM_TOKENS_PER_DAY = 2_000
    settings.REX_LLM_ANSWER_TOKENS_ALLOWANCE = 100
    fake_openai.reply("first", prompt_tokens=1_500, completion_tokens=450)
    llm.complete(MESSAGES, organization=organization, agent="planner", consent=True)

    with pytest.raises(llm.LLMBudgetExceeded) as refused:
        llm.complete(MESSAGES, organization=organization, agent="planner", consent=True)

    assert str(refused.value) == ("LLM token budget of the organization for today reached: 1,950 of 2,000 tokens "
                                  "used, this call needs about 115; no call was made")
    assert refused.value.details["scope"] == "day"
    assert len(fake_openai.received("/chat/completions")) == 1
