"""The LLM gateway: every call REX makes to a language model goes through this module.

Three ways in, one set of rules:

- ``complete`` — one chat completion through the OpenAI SDK (optionally validated against a pydantic schema);
- ``run_crew`` — multi-step work through CrewAI (Agent / Task / Crew), imported lazily and with telemetry off;
- ``ask_async`` / ``submit_async`` — an OpenAI background response: the mission is parked as ``waiting`` and
  resumed by ``POST /webhook/llm`` (``agents.webhooks``) when the answer is ready.

The rules: no key configured (or ``REX_LLM_ENABLED`` off) → ``LLMUnavailable``, and callers fall back to rules;
no LLM consent for the contact → ``pii.LLMConsentMissing`` before anything leaves the building; personal data is
pseudonymised (``<PERSON_1>``, ``<EMAIL_1>`` …) before the model sees it and put back into the answer before
anyone stores or sends it; 429, 5xx, timeouts and connection errors are retried honouring ``Retry-After``; every
call writes one ``AgentLog`` row with what the model saw, the waits taken, tokens and cost (``REX_LLM_PRICES``).
See docs/llm.md.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from agents.base import AwaitExternal, FatalAgentError, MissionContext, RecoverableAgentError

if TYPE_CHECKING:
    import pydantic
    from openai import OpenAI

    from agents.models import LLMRequest
    from agents.pii import Pseudonyms
    from missions.models import Mission
    from tenants.models import Organization

logger = logging.getLogger(__name__)

T = TypeVar("T")
MICRO_USD = Decimal("0.000001")  # AgentLog.llm_cost and LLMRequest.cost keep 6 decimal places
PER_MILLION = Decimal(1_000_000)
# Longest answer excerpt kept in an audit row: enough to see why an answer failed validation.
MAX_LOGGED_ANSWER_CHARS = 4000
ASYNC_REASON = "LLM answer"

_warned_unpriced: set[str] = set()


# --- errors ------------------------------------------------------------------------------------------------------------

class LLMUnavailable(Exception):
    """No LLM is configured (no ``OPENAI_API_KEY``, or ``REX_LLM_ENABLED`` off): use the rules instead."""


class LLMCallFailed(RecoverableAgentError):
    """The call did not get through (retries exhausted, timeout, connection error): a later attempt may."""

    def __init__(self, message: str, *, retries: list[dict[str, Any]] | None = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.retries = retries or []


class LLMRequestRejected(FatalAgentError):
    """The provider refused the request itself (400, 401, 403, 404 …): sending it again will not help."""

    def __init__(self, message: str, *, retries: list[dict[str, Any]] | None = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.retries = retries or []


class LLMInvalidOutput(FatalAgentError):
    """The answer did not validate against the schema the caller asked for.

    ``str()`` is one readable paragraph naming the fields that were wrong; it never quotes the answer's values
    (they may carry restored personal data).
    """


# --- the answer ----------------------------------------------------------------------------------------------------

@dataclass
class LLMResponse:
    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    cost: Decimal
    duration_ms: int
    parsed: Any = None
    retries: list[dict] = field(default_factory=list)


# --- configuration -------------------------------------------------------------------------------------------------

def is_available() -> bool:
    """Whether an LLM may be called at all (cheap: reads settings, imports nothing)."""
    return bool(settings.REX_LLM_ENABLED and settings.OPENAI_API_KEY)


def _check_available() -> None:
    if not settings.REX_LLM_ENABLED:
        raise LLMUnavailable("the LLM is disabled (REX_LLM_ENABLED=false)")
    if not settings.OPENAI_API_KEY:
        raise LLMUnavailable("no LLM configured (OPENAI_API_KEY is empty)")


def _check_consent(consent: bool) -> None:
    if not consent:
        from agents.pii import LLMConsentMissing

        raise LLMConsentMissing("the contact has not consented to LLM processing; the LLM step is skipped")


def _client() -> OpenAI:
    """An OpenAI SDK client for one call. ``max_retries=0``: the gateway runs its own retry loop (logged waits)."""
    from openai import OpenAI

    return OpenAI(
        api_key=settings.OPENAI_API_KEY or "not-configured",
        base_url=settings.OPENAI_BASE_URL or None,
        webhook_secret=settings.OPENAI_WEBHOOK_SECRET or None,
        timeout=settings.REX_LLM_TIMEOUT_SECONDS,
        max_retries=0,
    )


def _prepare_crewai_env() -> None:
    """Set CrewAI's environment before it is imported: telemetry, tracing and the version check off, storage in var/.

    Telemetry would add seconds at exit and replace the SIGTERM handler of the process (fatal in Celery and daphne).
    ``setdefault``: an operator's explicit environment wins.
    """
    for name, value in settings.CREWAI_ENV.items():
        os.environ.setdefault(name, str(value))
    os.makedirs(os.environ["CREWAI_STORAGE_DIR"], exist_ok=True)


# --- cost ----------------------------------------------------------------------------------------------------------

def _price(model: str) -> dict[str, Decimal] | None:
    prices: Mapping[str, Mapping[str, Decimal]] = settings.REX_LLM_PRICES
    if model in prices:
        return dict(prices[model])
    # A dated snapshot ("gpt-4o-mini-2024-07-18") costs what its base model costs; the longest base wins, so
    # gpt-4o-mini-… is not priced as gpt-4o.
    bases = [name for name in prices if model.startswith(name + "-")]
    return dict(prices[max(bases, key=len)]) if bases else None


def cost_of(model: str, prompt_tokens: int, completion_tokens: int) -> Decimal:
    """USD for one call, from ``REX_LLM_PRICES`` (per million tokens); an unknown model costs 0 and is warned once."""
    price = _price(model)
    if price is None:
        if model not in _warned_unpriced:
            _warned_unpriced.add(model)
            logger.warning("no price for LLM model %r in REX_LLM_PRICES; its calls are recorded at cost 0", model)
        return Decimal("0").quantize(MICRO_USD)
    total = (Decimal(prompt_tokens) * Decimal(price["prompt"])
             + Decimal(completion_tokens) * Decimal(price["completion"])) / PER_MILLION
    return total.quantize(MICRO_USD, rounding=ROUND_HALF_UP)


# --- retries -------------------------------------------------------------------------------------------------------

def _retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """The server's requested wait: ``retry-after-ms``, else ``Retry-After`` as seconds or as an HTTP date."""
    if not headers:
        return None
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max((when - datetime.now(when.tzinfo)).total_seconds(), 0.0)


def _with_retries(call: Callable[[], T]) -> tuple[T, list[dict[str, Any]]]:
    """Run ``call``, retrying 429, 5xx, timeouts and connection errors; returns its result and the waits taken.

    The wait is the server's ``Retry-After`` (capped at ``REX_LLM_MAX_RETRY_WAIT_SECONDS``), else 1, 2, 4 … s.
    Other 4xx fail at once with ``LLMRequestRejected``; exhausted retries raise ``LLMCallFailed``. Both carry
    the waits taken in ``.retries`` for the audit row.
    """
    import openai

    max_retries = max(int(settings.REX_LLM_MAX_RETRIES), 0)
    cap = float(settings.REX_LLM_MAX_RETRY_WAIT_SECONDS)
    retries: list[dict[str, Any]] = []
    for attempt in range(max_retries + 1):
        try:
            return call(), retries
        except openai.APIStatusError as exc:
            status: int | str = exc.status_code
            if exc.status_code != 429 and exc.status_code < 500:
                raise LLMRequestRejected(
                    f"the LLM provider rejected the request with HTTP {exc.status_code}: {_provider_message(exc)}",
                    status=exc.status_code, retries=retries,
                ) from exc
            requested = _retry_after_seconds(exc.response.headers)
            reason = f"HTTP {exc.status_code}: {_provider_message(exc)}"
        except openai.APITimeoutError as exc:
            status, requested, reason = "timeout", None, f"timed out ({exc})"
        except openai.APIConnectionError as exc:
            status, requested, reason = "connection_error", None, f"connection failed ({exc})"
        except openai.OpenAIError as exc:
            # Anything else the SDK raises (an unreadable answer, say) is not helped by asking again at once.
            raise LLMCallFailed(f"the LLM call failed: {type(exc).__name__}: {str(exc)[:300]}",
                                retries=retries) from exc
        if attempt == max_retries:
            raise LLMCallFailed(f"the LLM call failed after {max_retries} retries: {reason}",
                                status=status, retries=retries)
        wait = min(requested if requested is not None else float(2 ** attempt), cap)
        retries.append({"status": status, "waited_s": round(wait, 3)})
        time.sleep(wait)
    raise AssertionError("unreachable")  # the loop always returns or raises


def _provider_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:300]
    return str(getattr(exc, "message", exc))[:300]


# --- pseudonymisation ----------------------------------------------------------------------------------------------

def _pseudonymise_messages(messages: Iterable[Mapping[str, str]], known_values: Any,
                           pseudonyms: Pseudonyms | None = None) -> tuple[list[dict[str, str]], Pseudonyms]:
    """Every message's content with personal data replaced; one ``Pseudonyms`` so numbering is shared."""
    from agents.pii import Pseudonyms, pseudonymise

    sent: list[dict[str, str]] = []
    for message in messages:
        content, pseudonyms = pseudonymise(str(message.get("content", "")), known_values=known_values,
                                           pseudonyms=pseudonyms)
        sent.append({**message, "content": content})
    if pseudonyms is None:
        pseudonyms = Pseudonyms()
    return sent, pseudonyms


def _restore_strings(value: Any, pseudonyms: Pseudonyms) -> Any:
    """A parsed JSON value with placeholders restored inside every string (keys included)."""
    if isinstance(value, str):
        return pseudonyms.restore(value)
    if isinstance(value, list):
        return [_restore_strings(item, pseudonyms) for item in value]
    if isinstance(value, dict):
        return {pseudonyms.restore(k): _restore_strings(v, pseudonyms) for k, v in value.items()}
    return value


def _schema_instructions(schema: type[pydantic.BaseModel]) -> dict[str, str]:
    return {"role": "system", "content": (
        "Answer with one JSON object, and nothing else, that validates against this JSON schema:\n"
        + json.dumps(schema.model_json_schema(), sort_keys=True)
        + "\nPlaceholders such as <PERSON_1> or <EMAIL_1> stand for real values: copy them unchanged."
    )}


def _with_schema(sent: list[dict[str, str]], schema: type[pydantic.BaseModel] | None) -> list[dict[str, str]]:
    if schema is None:
        return sent
    # Added after pseudonymisation: the schema is ours and carries no personal data.
    return [_schema_instructions(schema), *sent]


def _parse(raw_text: str, schema: type[pydantic.BaseModel] | None, pseudonyms: Pseudonyms) -> Any:
    """Validate the answer (as the model wrote it, placeholders and all) and restore real values in the result.

    Parsing before restoring means a real value containing a quote or a backslash cannot break the JSON.
    """
    if schema is None:
        return None
    import pydantic

    try:
        data = json.loads(raw_text)
    except ValueError as exc:
        raise LLMInvalidOutput(
            f"The LLM's answer is not valid JSON, so it cannot be read as {schema.__name__} "
            f"(the parser stopped at line {getattr(exc, 'lineno', '?')}, column {getattr(exc, 'colno', '?')}).",
            schema=schema.__name__,
        ) from None
    try:
        return schema.model_validate(_restore_strings(data, pseudonyms))
    except pydantic.ValidationError as exc:
        # Field paths and pydantic's messages only: the offending input may hold restored personal data.
        errors = exc.errors(include_input=False, include_url=False)
        paths = [".".join(str(part) for part in err["loc"]) or "(the whole answer)" for err in errors]
        problems = "; ".join(f"'{path}': {err['msg']}" for path, err in zip(paths, errors, strict=True))
        raise LLMInvalidOutput(
            f"The LLM's answer does not match {schema.__name__}: {len(errors)} field"
            f"{'s were' if len(errors) != 1 else ' was'} wrong — {problems}.",
            schema=schema.__name__, fields=paths,
        ) from None


def _prompt_hash(model: str, sent: list[dict[str, str]]) -> str:
    canonical = json.dumps({"model": model, "messages": sent}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- the audit row -------------------------------------------------------------------------------------------------

def _log(*, organization: Organization | None, organization_id: int | None = None, mission: Mission | None,
         agent: str, action: str, outcome: str, model: str, duration_ms: int, messages_as_sent: Any = None,
         retries: list[dict[str, Any]] | None = None, prompt_tokens: int = 0, completion_tokens: int = 0,
         cost: Decimal | None = None, error: dict[str, Any] | None = None, **extra: Any) -> None:
    from agents.models import AgentLog

    failed = outcome not in ("succeeded", "submitted", "completed")
    payload: dict[str, Any] = {"model": model, "retries": retries or [], "outcome": outcome, **extra}
    if messages_as_sent is not None:
        payload["messages_as_sent"] = messages_as_sent
    if error:
        payload["error"] = error
    AgentLog.objects.create(
        organization_id=organization.pk if organization is not None else organization_id,
        mission=mission, agent=agent, action=action,
        level=AgentLog.Level.ERROR if failed else AgentLog.Level.INFO,
        attempt=mission.attempts if mission is not None else 0,
        payload=payload, duration_ms=max(duration_ms, 0),
        llm_prompt_tokens=prompt_tokens, llm_completion_tokens=completion_tokens,
        llm_cost=cost if cost is not None else Decimal(0),
    )


def _excerpt(text: str) -> str:
    return text if len(text) <= MAX_LOGGED_ANSWER_CHARS else text[:MAX_LOGGED_ANSWER_CHARS] + " …"


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


# --- one completion ------------------------------------------------------------------------------------------------

def complete(messages: list[dict[str, str]], *, organization: Organization, mission: Mission | None = None,
             agent: str = "llm_gateway", action: str = "llm.complete",
             schema: type[pydantic.BaseModel] | None = None, known_values: Any = None, consent: bool = True,
             timeout: float | None = None, temperature: float = 0) -> LLMResponse:
    """One chat completion, pseudonymised, retried, validated, restored and logged.

    Raises ``LLMUnavailable`` (no LLM configured), ``pii.LLMConsentMissing`` (no network call made),
    ``LLMCallFailed`` (recoverable), ``LLMRequestRejected`` and ``LLMInvalidOutput`` (fatal).
    """
    _check_available()
    _check_consent(consent)
    model = settings.REX_LLM_MODEL
    sent, pseudonyms = _pseudonymise_messages(messages, known_values)
    sent = _with_schema(sent, schema)
    request: dict[str, Any] = {"model": model, "messages": sent, "temperature": temperature,
                               "timeout": timeout if timeout is not None else settings.REX_LLM_TIMEOUT_SECONDS}
    if schema is not None:
        request["response_format"] = {"type": "json_object"}
    log = {"organization": organization, "mission": mission, "agent": agent, "action": action, "model": model,
           "messages_as_sent": sent}

    started = time.monotonic()
    try:
        with _client() as client:
            completion, retries = _with_retries(lambda: client.chat.completions.create(**request))
    except (LLMCallFailed, LLMRequestRejected) as exc:
        _log(**log, outcome="failed", duration_ms=_since(started), retries=exc.retries, error=exc.as_error())
        raise
    duration_ms = _since(started)

    answered_model = completion.model or model
    raw_text = (completion.choices[0].message.content or "") if completion.choices else ""
    prompt_tokens = completion.usage.prompt_tokens if completion.usage else 0
    completion_tokens = completion.usage.completion_tokens if completion.usage else 0
    cost = cost_of(answered_model, prompt_tokens, completion_tokens)
    usage = {"model": answered_model, "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
             "cost": cost, "duration_ms": duration_ms, "retries": retries, "answer_as_received": _excerpt(raw_text)}
    try:
        parsed = _parse(raw_text, schema, pseudonyms)
    except LLMInvalidOutput as exc:
        _log(**{**log, **usage}, outcome="invalid_output", error=exc.as_error())
        raise
    _log(**{**log, **usage}, outcome="succeeded")
    return LLMResponse(text=pseudonyms.restore(raw_text), model=answered_model, prompt_tokens=prompt_tokens,
                       completion_tokens=completion_tokens, cost=cost, duration_ms=duration_ms, parsed=parsed,
                       retries=retries)


# --- multi-step work with CrewAI -------------------------------------------------------------------------------------

def run_crew(*, organization: Organization, mission: Mission | None = None, agent: str, role: str, goal: str,
             backstory: str, tasks: list[dict[str, str]], inputs: dict[str, Any] | None = None,
             known_values: Any = None, consent: bool = True, llm: Any = None) -> LLMResponse:
    """Run a one-agent CrewAI crew over ``tasks`` (each ``{"description", "expected_output"}``), in order.

    ``llm``: a ``crewai.BaseLLM`` to use instead of the configured OpenAI model (tests pass an in-process fake);
    with it, no key is needed. Everything the crew sees is pseudonymised; the final output is restored.
    """
    if llm is None:
        _check_available()
    _check_consent(consent)
    _prepare_crewai_env()
    from crewai import LLM, Agent, Crew, Process, Task

    from agents.pii import redact_pii

    texts, pseudonyms = _pseudonymise_messages(
        [{"content": role}, {"content": goal}, {"content": backstory},
         *({"content": t["description"]} for t in tasks), *({"content": t["expected_output"]} for t in tasks)],
        known_values,
    )
    role_sent, goal_sent, backstory_sent = (t["content"] for t in texts[:3])
    descriptions = [t["content"] for t in texts[3:3 + len(tasks)]]
    expected = [t["content"] for t in texts[3 + len(tasks):]]
    inputs_sent = None
    if inputs:
        inputs_sent, pseudonyms = redact_pii(inputs, consent=True, known_values=known_values, pseudonyms=pseudonyms)

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
    before = _usage_of(llm)
    started = time.monotonic()
    try:
        output = crew.kickoff(inputs=inputs_sent or {})
    except Exception as exc:
        error = _crew_error(exc)
        after = _usage_of(llm)
        _log(**log, outcome="failed", duration_ms=_since(started), error=error.as_error(),
             prompt_tokens=after[0] - before[0], completion_tokens=after[1] - before[1],
             cost=cost_of(model, after[0] - before[0], after[1] - before[1]))
        raise error from exc
    duration_ms = _since(started)
    after = _usage_of(llm)
    prompt_tokens, completion_tokens = after[0] - before[0], after[1] - before[1]
    raw_text = str(getattr(output, "raw", output) or "")
    cost = cost_of(model, prompt_tokens, completion_tokens)
    _log(**log, outcome="succeeded", duration_ms=duration_ms, prompt_tokens=prompt_tokens,
         completion_tokens=completion_tokens, cost=cost, answer_as_received=_excerpt(raw_text))
    return LLMResponse(text=pseudonyms.restore(raw_text), model=model, prompt_tokens=prompt_tokens,
                       completion_tokens=completion_tokens, cost=cost, duration_ms=duration_ms)


def _usage_of(llm: Any) -> tuple[int, int]:
    """The LLM object's lifetime token counters (CrewAI keeps them per instance; we take the difference)."""
    summary = getattr(llm, "get_token_usage_summary", None)
    if summary is None:
        return 0, 0
    metrics = summary()
    return int(metrics.prompt_tokens or 0), int(metrics.completion_tokens or 0)


def _crew_error(exc: BaseException) -> LLMCallFailed | LLMRequestRejected:
    """What a failed crew run means for the mission: a refused request is fatal, anything else may pass later."""
    import openai

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, openai.APIStatusError) and current.status_code != 429 and current.status_code < 500:
            return LLMRequestRejected(f"the LLM provider rejected the crew's request with HTTP "
                                      f"{current.status_code}: {_provider_message(current)}",
                                      status=current.status_code)
        current = current.__cause__ or current.__context__
    return LLMCallFailed(f"the crew run failed: {type(exc).__name__}: {str(exc)[:300]}")


# --- asynchronous calls (background responses + webhook) -------------------------------------------------------------

def submit_async(messages: list[dict[str, str]], *, mission: Mission, agent: str, known_values: Any = None,
                 consent: bool = True) -> LLMRequest:
    """Hand the messages to the provider as a background response; the answer arrives through ``/webhook/llm``."""
    _check_available()
    _check_consent(consent)
    sent, pseudonyms = _pseudonymise_messages(messages, known_values)
    return _submit(sent, pseudonyms, mission=mission, agent=agent,
                   prompt_hash=_prompt_hash(settings.REX_LLM_MODEL, sent))


def _submit(sent: list[dict[str, str]], pseudonyms: Pseudonyms, *, mission: Mission, agent: str,
            prompt_hash: str) -> LLMRequest:
    from agents.models import LLMRequest

    model = settings.REX_LLM_MODEL
    # The row exists before the provider hears of the request, so an answer can never arrive for a request we
    # have no record of (and the reversal mapping is safe in the database, not in a worker's memory).
    request = LLMRequest.objects.create(
        organization_id=mission.organization_id, mission=mission, agent=agent, prompt_hash=prompt_hash,
        messages_as_sent=sent, pseudonyms=pseudonyms.to_dict(), model=model,
    )
    log = {"organization": None, "organization_id": mission.organization_id, "mission": mission, "agent": agent,
           "action": "llm.submit", "model": model, "messages_as_sent": sent, "llm_request": str(request.id)}
    started = time.monotonic()
    try:
        with _client() as client:
            response, retries = _with_retries(lambda: client.responses.create(
                model=model, input=sent, background=True, store=True, temperature=0,
                metadata={"rex_llm_request": str(request.id)},
            ))
    except (LLMCallFailed, LLMRequestRejected) as exc:
        # "reported": the caller gets this very exception, so a retry must ask afresh rather than report it again.
        LLMRequest.objects.filter(pk=request.pk).update(status=LLMRequest.Status.FAILED, completed_at=timezone.now(),
                                                        error={**exc.as_error(), "reported": True})
        _log(**log, outcome="failed", duration_ms=_since(started), retries=exc.retries, error=exc.as_error())
        raise
    request.provider_response_id = response.id
    request.save(update_fields=["provider_response_id"])
    _log(**log, outcome="submitted", duration_ms=_since(started), retries=retries, provider_response_id=response.id)
    if response.status == "completed":
        # A server without background mode answered at once: no need to wait for a webhook that will not come.
        record_async_answer(request, response, event_type="response.completed")
        request.refresh_from_db()
    return request


def ask_async(context: MissionContext, messages: list[dict[str, str]], *, agent: str, known_values: Any = None,
              consent: bool = True, schema: type[pydantic.BaseModel] | None = None,
              timeout_seconds: float | None = None) -> LLMResponse:
    """The answer to ``messages`` for this mission, or park the mission until it arrives.

    First run: submits a background response and raises ``AwaitExternal`` (the runner parks the mission as
    ``waiting``). When the webhook has stored the answer and resumed the mission, the agent runs again from the
    start, asks the same question, and gets the answer (restored). A failed request raises ``LLMCallFailed`` once
    (the retry asks afresh); a request still pending on a re-run (its wait expired) is abandoned and asked again.
    """
    from agents.models import LLMRequest

    _check_available()
    _check_consent(consent)
    mission = context.mission
    sent, pseudonyms = _pseudonymise_messages(messages, known_values)
    sent = _with_schema(sent, schema)
    prompt_hash = _prompt_hash(settings.REX_LLM_MODEL, sent)
    latest = (LLMRequest.objects.filter(mission=mission, agent=agent, prompt_hash=prompt_hash)
              .order_by("-created_at").first())
    if latest is not None and latest.status == LLMRequest.Status.COMPLETED:
        return _answer_of(latest, schema)
    if latest is not None and latest.status == LLMRequest.Status.FAILED and not (latest.error or {}).get("reported"):
        # Report a failure once: the mission retries, and the retry (seeing it reported) asks again.
        LLMRequest.objects.filter(pk=latest.pk).update(error={**(latest.error or {}), "reported": True})
        raise LLMCallFailed(f"the asynchronous LLM call failed: {(latest.error or {}).get('message', 'no detail')}",
                            llm_request=str(latest.id))
    if latest is not None and latest.status == LLMRequest.Status.PENDING:
        LLMRequest.objects.filter(pk=latest.pk, status=LLMRequest.Status.PENDING).update(
            status=LLMRequest.Status.EXPIRED, completed_at=timezone.now())
    request = _submit(sent, pseudonyms, mission=mission, agent=agent, prompt_hash=prompt_hash)
    if request.status == LLMRequest.Status.COMPLETED:
        return _answer_of(request, schema)
    raise AwaitExternal(ASYNC_REASON, correlation_id=str(request.id), timeout_seconds=timeout_seconds)


def _answer_of(request: LLMRequest, schema: type[pydantic.BaseModel] | None) -> LLMResponse:
    from agents.pii import Pseudonyms

    # Validated from the answer as the model wrote it (placeholders), like ``complete`` does.
    parsed = _parse(request.raw_answer, schema, Pseudonyms.from_dict(request.pseudonyms or {}))
    return LLMResponse(text=request.answer, model=request.model, prompt_tokens=request.prompt_tokens,
                       completion_tokens=request.completion_tokens, cost=request.cost, duration_ms=0, parsed=parsed)


class UnknownLLMResponse(Exception):
    """A webhook named a response id no LLMRequest of ours carries."""


class MissionNotParkedYet(Exception):
    """The answer arrived before the runner parked the mission: the provider should deliver it again shortly."""


def finish_async(provider_response_id: str, event_type: str) -> str:
    """Store the outcome of a background response named by a webhook and resume its mission; returns what happened.

    Idempotent: a request that is no longer pending is left alone ("already_processed"). The provider is asked
    for the output (the event carries only the id) before any row is locked.
    """
    from agents.models import LLMRequest

    request = LLMRequest.objects.filter(provider_response_id=provider_response_id).first()
    if request is None:
        raise UnknownLLMResponse(provider_response_id)
    if request.status != LLMRequest.Status.PENDING:
        return "already_processed"
    response = None
    if event_type == "response.completed":
        with _client() as client:
            response, _ = _with_retries(lambda: client.responses.retrieve(provider_response_id))
    return record_async_answer(request, response, event_type=event_type)


def record_async_answer(request: LLMRequest, response: Any, *, event_type: str) -> str:
    """Mark ``request`` completed (answer restored, tokens, cost) or failed, log it, resume its mission; one transaction."""
    from agents.models import LLMRequest
    from agents.pii import Pseudonyms
    from missions.models import Mission, MissionStatus

    completed = event_type == "response.completed" and response is not None and response.status == "completed"
    with transaction.atomic():
        locked = LLMRequest.objects.select_for_update().filter(pk=request.pk).first()
        if locked is None or locked.status != LLMRequest.Status.PENDING:
            return "already_processed"
        mission = Mission.objects.filter(pk=locked.mission_id).first() if locked.mission_id else None
        if mission is not None and mission.status == MissionStatus.RUNNING:
            raise MissionNotParkedYet(str(mission.id))
        now = timezone.now()
        model = locked.model
        log: dict[str, Any] = {"organization": None, "organization_id": locked.organization_id, "mission": mission,
                               "agent": locked.agent, "action": "llm.async", "llm_request": str(locked.id),
                               "provider_response_id": locked.provider_response_id, "event": event_type,
                               "duration_ms": int((now - locked.created_at).total_seconds() * 1000)}
        if completed:
            raw_text = response.output_text or ""
            usage = response.usage
            prompt_tokens = int(getattr(usage, "input_tokens", 0) or 0)
            completion_tokens = int(getattr(usage, "output_tokens", 0) or 0)
            model = response.model or model
            cost = cost_of(model, prompt_tokens, completion_tokens)
            locked.raw_answer = raw_text
            locked.answer = Pseudonyms.from_dict(locked.pseudonyms or {}).restore(raw_text)
            locked.status = LLMRequest.Status.COMPLETED
            locked.model, locked.prompt_tokens, locked.completion_tokens, locked.cost = (
                model, prompt_tokens, completion_tokens, cost)
            locked.completed_at = now
            locked.save(update_fields=["raw_answer", "answer", "status", "model", "prompt_tokens",
                                       "completion_tokens", "cost", "completed_at"])
            _log(**log, model=model, outcome="completed", prompt_tokens=prompt_tokens,
                 completion_tokens=completion_tokens, cost=cost, answer_as_received=_excerpt(raw_text))
            reason = "LLM answer arrived"
        else:
            ended = getattr(response, "status", None) or event_type.removeprefix("response.")
            provider_error = getattr(response, "error", None)
            detail = getattr(provider_error, "message", None) or (str(provider_error) if provider_error else "")
            error = {"message": f"the background response ended {ended}" + (f": {detail}" if detail else ""),
                     "event": event_type}
            locked.status, locked.error, locked.completed_at = LLMRequest.Status.FAILED, error, now
            locked.save(update_fields=["status", "error", "completed_at"])
            _log(**log, model=model, outcome="failed", error=error)
            reason = "LLM call failed"
        if mission is not None:
            mission.resume(reason=reason, data={"llm_request": str(locked.id)})
    return "completed" if completed else "failed"


# --- usage ---------------------------------------------------------------------------------------------------------

def _usage(queryset: Any) -> dict[str, Any]:
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
