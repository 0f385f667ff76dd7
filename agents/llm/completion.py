"""One chat completion through the OpenAI SDK: pseudonymised, retried, validated, restored and logged."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.conf import settings

from agents.llm.audit import excerpt, log_call, since
from agents.llm.budget import check_token_budget, planned_tokens
from agents.llm.client import client, with_retries
from agents.llm.config import check_available, check_consent
from agents.llm.costs import cost_of
from agents.llm.errors import LLMCallFailed, LLMInvalidOutput, LLMRequestRejected
from agents.llm.privacy import pseudonymise_messages
from agents.llm.response import LLMResponse
from agents.llm.structured import parse, with_schema

if TYPE_CHECKING:
    import pydantic

    from agents.base import MissionLike as Mission
    from tenants.models import Organization


def complete(messages: list[dict[str, str]], *, organization: Organization, consent: bool,
             mission: Mission | None = None, agent: str = "llm_gateway", action: str = "llm.complete",
             schema: type[pydantic.BaseModel] | None = None, known_values: Any = None,
             timeout: float | None = None, temperature: float = 0) -> LLMResponse:
    """One chat completion, pseudonymised, retried, validated, restored and logged.

    ``consent`` has no default: every caller states whether the people whose data the messages carry consented
    to LLM processing (``Contact.llm_consent``); False refuses before anything leaves the building.

    Raises ``LLMUnavailable`` (no LLM configured), ``pii.LLMConsentMissing`` and ``LLMBudgetExceeded`` (the
    token budget of the mission or of the day would be passed; no network call made),
    ``LLMCallFailed`` (recoverable), ``LLMRequestRejected`` and ``LLMInvalidOutput`` (fatal).
    """
    check_available()
    check_consent(consent)
    model = settings.REX_LLM_MODEL
    sent, pseudonyms = pseudonymise_messages(messages, known_values)
    sent = with_schema(sent, schema)
    check_token_budget(organization_id=organization.pk, mission=mission, planned=planned_tokens(sent))
    request: dict[str, Any] = {"model": model, "messages": sent, "temperature": temperature,
                               "timeout": timeout if timeout is not None else settings.REX_LLM_TIMEOUT_SECONDS}
    if schema is not None:
        request["response_format"] = {"type": "json_object"}
    log = {"organization": organization, "mission": mission, "agent": agent, "action": action, "model": model,
           "messages_as_sent": sent}

    started = time.monotonic()
    try:
        with client() as openai_client:
            answer, retries = with_retries(lambda: openai_client.chat.completions.create(**request))
    except (LLMCallFailed, LLMRequestRejected) as exc:
        log_call(**log, outcome="failed", duration_ms=since(started), retries=exc.retries, error=exc.as_error())
        raise
    duration_ms = since(started)

    answered_model = answer.model or model
    raw_text = (answer.choices[0].message.content or "") if answer.choices else ""
    prompt_tokens = answer.usage.prompt_tokens if answer.usage else 0
    completion_tokens = answer.usage.completion_tokens if answer.usage else 0
    cost = cost_of(answered_model, prompt_tokens, completion_tokens)
    usage = {"model": answered_model, "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
             "cost": cost, "duration_ms": duration_ms, "retries": retries, "answer_as_received": excerpt(raw_text)}
    try:
        parsed = parse(raw_text, schema, pseudonyms)
    except LLMInvalidOutput as exc:
        log_call(**{**log, **usage}, outcome="invalid_output", error=exc.as_error())
        raise
    log_call(**{**log, **usage}, outcome="succeeded")
    return LLMResponse(text=pseudonyms.restore(raw_text), model=answered_model, prompt_tokens=prompt_tokens,
                       completion_tokens=completion_tokens, cost=cost, duration_ms=duration_ms, parsed=parsed,
                       retries=retries)
