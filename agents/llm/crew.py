"""Multi-step work through CrewAI (one Agent working through Tasks in a sequential Crew).

CrewAI is imported inside ``run_crew`` only, after ``prepare_crewai_env`` has turned telemetry, tracing and the
version check off: importing it costs ~5 s and ~180 MB, and with telemetry on it replaces the process's SIGTERM
handler (fatal in Celery and daphne). Nothing at module level here may import it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.conf import settings

from agents.llm.audit import excerpt, log_call, since
from agents.llm.budget import check_token_budget, planned_tokens
from agents.llm.client import provider_message
from agents.llm.config import check_available, check_consent, prepare_crewai_env
from agents.llm.costs import cost_of
from agents.llm.errors import LLMCallFailed, LLMInvalidOutput, LLMRequestRejected
from agents.llm.privacy import pseudonymise_messages
from agents.llm.response import LLMResponse
from agents.llm.structured import refuse_unissued

if TYPE_CHECKING:
    from agents.base import MissionLike as Mission
    from tenants.models import Organization


def run_crew(*, organization: Organization, consent: bool, mission: Mission | None = None, agent: str, role: str,
             goal: str, backstory: str, tasks: list[dict[str, str]], inputs: dict[str, Any] | None = None,
             known_values: Any = None, llm: Any = None) -> LLMResponse:
    """Run a one-agent CrewAI crew over ``tasks`` (each ``{"description", "expected_output"}``), in order.

    ``llm``: a ``crewai.BaseLLM`` to use instead of the configured OpenAI model (tests pass an in-process fake);
    with it, no key is needed. Everything the crew sees is pseudonymised; the final output is restored, and an
    output using a placeholder the crew was never given is ``LLMInvalidOutput``. ``consent`` (required): whether
    the people whose data the tasks carry consented to LLM processing.
    """
    if llm is None:
        check_available()
    check_consent(consent)
    prepare_crewai_env()
    from crewai import LLM, Agent, Crew, Process, Task

    from agents.pii import redact_pii

    texts, pseudonyms = pseudonymise_messages(
        [{"content": role}, {"content": goal}, {"content": backstory},
         *({"content": t["description"]} for t in tasks), *({"content": t["expected_output"]} for t in tasks)],
        known_values,
    )
    role_sent, goal_sent, backstory_sent = (t["content"] for t in texts[:3])
    descriptions = [t["content"] for t in texts[3:3 + len(tasks)]]
    expected = [t["content"] for t in texts[3 + len(tasks):]]
    inputs_sent = None
    if inputs:
        inputs_sent, pseudonyms = redact_pii(inputs, consent=consent, known_values=known_values, pseudonyms=pseudonyms)

    check_token_budget(organization_id=organization.pk, mission=mission,
                       planned=planned_tokens([texts, inputs_sent]))
    if llm is None:
        llm = LLM(model=f"openai/{settings.REX_LLM_MODEL}", base_url=settings.OPENAI_BASE_URL or None,
                  api_key=settings.OPENAI_API_KEY, timeout=settings.REX_LLM_TIMEOUT_SECONDS,
                  max_retries=settings.REX_LLM_MAX_RETRIES, temperature=0)
    model = str(getattr(llm, "model", "") or settings.REX_LLM_MODEL)
    crew_agent = Agent(role=role_sent, goal=goal_sent, backstory=backstory_sent, llm=llm, allow_delegation=False,
                       verbose=False)
    crew = Crew(
        agents=[crew_agent],
        tasks=[Task(description=d, expected_output=e, agent=crew_agent) for d, e in zip(descriptions, expected,
                                                                                      strict=True)],
        process=Process.sequential, memory=False, verbose=False, tracing=False, share_crew=False,
    )
    log = {"organization": organization, "mission": mission, "agent": agent, "action": "llm.crew", "model": model,
           "messages_as_sent": {"role": role_sent, "goal": goal_sent, "backstory": backstory_sent,
                                "tasks": [{"description": d, "expected_output": e}
                                          for d, e in zip(descriptions, expected, strict=True)],
                                "inputs": inputs_sent}}
    before = usage_of(llm)
    started = time.monotonic()
    try:
        output = crew.kickoff(inputs=inputs_sent or {})
    except Exception as exc:
        error = crew_error(exc)
        after = usage_of(llm)
        log_call(**log, outcome="failed", duration_ms=since(started), error=error.as_error(),
                 prompt_tokens=after[0] - before[0], completion_tokens=after[1] - before[1],
                 cost=cost_of(model, after[0] - before[0], after[1] - before[1]))
        raise error from exc
    duration_ms = since(started)
    after = usage_of(llm)
    prompt_tokens, completion_tokens = after[0] - before[0], after[1] - before[1]
    raw_text = str(getattr(output, "raw", output) or "")
    cost = cost_of(model, prompt_tokens, completion_tokens)
    usage = {"duration_ms": duration_ms, "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
             "cost": cost, "answer_as_received": excerpt(raw_text)}
    try:
        refuse_unissued(raw_text, pseudonyms, expected="the crew's answer")
    except LLMInvalidOutput as exc:
        log_call(**log, **usage, outcome="invalid_output", error=exc.as_error())
        raise
    log_call(**log, **usage, outcome="succeeded")
    return LLMResponse(text=pseudonyms.restore(raw_text), model=model, prompt_tokens=prompt_tokens,
                       completion_tokens=completion_tokens, cost=cost, duration_ms=duration_ms)


def usage_of(llm: Any) -> tuple[int, int]:
    """The LLM object's lifetime token counters (CrewAI keeps them per instance; we take the difference)."""
    summary = getattr(llm, "get_token_usage_summary", None)
    if summary is None:
        return 0, 0
    metrics = summary()
    return int(metrics.prompt_tokens or 0), int(metrics.completion_tokens or 0)


def crew_error(exc: BaseException) -> LLMCallFailed | LLMRequestRejected:
    """What a failed crew run means for the mission: a refused request is fatal, anything else may pass later."""
    import openai

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, openai.APIStatusError) and current.status_code != 429 and current.status_code < 500:
            return LLMRequestRejected(f"the LLM provider rejected the crew's request with HTTP "
                                      f"{current.status_code}: {provider_message(current)}",
                                      status=current.status_code)
        current = current.__cause__ or current.__context__
    return LLMCallFailed(f"the crew run failed: {type(exc).__name__}: {str(exc)[:300]}")
