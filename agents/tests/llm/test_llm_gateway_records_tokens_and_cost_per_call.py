"""Each call's tokens and cost (Decimal, from the price table) are on its AgentLog row, and add up per mission
and per agent."""

import logging
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from agents import llm
from agents.models import AgentLog
from missions.models import Mission

MESSAGES = [{"role": "user", "content": "Suggest a subject line."}]


def test_tokens_and_cost_are_recorded_and_summed(fake_openai, settings, organization):
    mission = Mission.objects.create(organization=organization, type="canary", idempotency_key="cost-test")
    other = Mission.objects.create(organization=organization, type="canary", idempotency_key="cost-test-2")

    fake_openai.reply("a", prompt_tokens=1200, completion_tokens=350)
    first = llm.complete(MESSAGES, organization=organization, mission=mission, agent="planner", consent=True)
    settings.REX_LLM_MODEL = "gpt-4o"
    fake_openai.reply("b", prompt_tokens=1000, completion_tokens=100)
    second = llm.complete(MESSAGES, organization=organization, mission=mission, agent="writer", consent=True)
    settings.REX_LLM_MODEL = "gpt-4o-mini"
    fake_openai.reply("c", prompt_tokens=7, completion_tokens=3)
    llm.complete(MESSAGES, organization=organization, mission=other, agent="planner", consent=True)

    # gpt-4o-mini: 1200 * 0.15 + 350 * 0.60 per million; gpt-4o: 1000 * 2.50 + 100 * 10.00 per million.
    assert first.cost == Decimal("0.000390")
    assert second.cost == Decimal("0.003500")
    assert isinstance(first.cost, Decimal)
    rows = {row.agent + ":" + str(row.mission_id): row for row in AgentLog.objects.filter(mission=mission)}
    planner = rows[f"planner:{mission.id}"]
    assert (planner.llm_prompt_tokens, planner.llm_completion_tokens, planner.llm_cost) == (1200, 350,
                                                                                             Decimal("0.000390"))
    assert planner.payload["model"] == "gpt-4o-mini"

    assert llm.usage_for_mission(mission) == {"calls": 2, "prompt_tokens": 2200, "completion_tokens": 450,
                                              "cost": "0.003890"}
    # gpt-4o-mini: 7 * 0.15 + 3 * 0.60 = 2.85 per million → 0.00000285, kept to 6 places.
    assert llm.usage_for_agent("planner") == {"calls": 2, "prompt_tokens": 1207, "completion_tokens": 353,
                                              "cost": "0.000393"}
    assert llm.usage_for_agent("planner", since=timezone.now() + timedelta(minutes=1)) == {
        "calls": 0, "prompt_tokens": 0, "completion_tokens": 0, "cost": "0.000000"}


def test_a_dated_snapshot_is_priced_as_its_base_model():
    assert llm.cost_of("gpt-4o-mini-2024-07-18", 1_000_000, 1_000_000) == Decimal("0.750000")
    assert llm.cost_of("gpt-4o-2024-08-06", 1_000_000, 0) == Decimal("2.500000")


def test_an_unknown_model_costs_nothing_and_is_warned_about_once(caplog):
    with caplog.at_level(logging.WARNING, logger="agents.llm"):
        assert llm.cost_of("mystery-model-x", 5000, 5000) == Decimal("0")
        assert llm.cost_of("mystery-model-x", 5000, 5000) == Decimal("0")

    assert [r.getMessage() for r in caplog.records].count(
        "no price for LLM model 'mystery-model-x' in REX_LLM_PRICES; its calls are recorded at cost 0") == 1
