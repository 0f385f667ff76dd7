"""The canary: a deterministic agent that proves the pipeline end to end.

It echoes its params. ``fail_times: N`` makes the first N attempts fail with a recoverable error (to watch the
2 / 4 / 8 s retry schedule), ``sleep_ms`` makes it slow (to watch it run, or to kill a worker under it).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from agents.base import BaseAgent, MissionContext, RecoverableAgentError
from agents.params import AgentParams

MAX_SLEEP_MS = 10 * 60 * 1000


class CanaryParams(AgentParams):
    fail_times: int = Field(0, ge=0, le=10, description="fail this many first attempts (recoverably), to watch retries")
    sleep_ms: int = Field(0, ge=0, le=MAX_SLEEP_MS, description="work this long, to watch it run or kill its worker")
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = Field(
        None, description="any text, echoed in the result")
    tag: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = Field(
        None, description="a label, echoed in the result (e.g. nightly)")


class CanaryAgent(BaseAgent):
    name = "canary"
    version = "1.0"
    description = "Echoes its params; fail_times fails the first N attempts (recoverable); sleep_ms slows it."
    Params = CanaryParams

    # A canary proves the pipeline: it must really run every time, never answer from the result cache.
    reuse_results = False

    def execute(self, context: MissionContext, plan: dict[str, Any]) -> dict[str, Any]:
        params = context.params
        sleep_s = plan.get("sleep_ms", 0) / 1000
        # Wait on the stop flag rather than sleep, so a cancelled mission stops promptly.
        if sleep_s and context.stop_requested.wait(sleep_s):
            return {"echo": params, "stopped": True, "attempt": context.attempt}
        if context.attempt <= plan.get("fail_times", 0):
            raise RecoverableAgentError(
                f"canary failing on purpose (attempt {context.attempt} of {plan['fail_times']} planned failures)"
            )
        return {"echo": params, "attempt": context.attempt}
