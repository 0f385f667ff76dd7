"""A test agent that counts how often it really executes (in process memory, so no cache can hide a run)."""

from __future__ import annotations

from typing import Any

from agents.base import BaseAgent, MissionContext


class CountingAgent(BaseAgent):
    name = "test_counting"
    executions: list[str] = []

    def execute(self, context: MissionContext, plan: dict[str, Any]) -> dict[str, Any]:
        CountingAgent.executions.append(str(context.mission.id))
        return {"total": sum(plan.get("numbers", []))}
