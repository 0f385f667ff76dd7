"""Asynchronous calls: an OpenAI background response, answered through ``POST /webhook/llm``.

The agent calls ``ask_async`` as if it were a normal call. The first time there is no answer yet: the request is
recorded (``LLMRequest``, pending), handed to the provider, and the mission is parked (``AwaitExternal``). When
the webhook reports the response finished, ``finish_async`` settles the request (``LLMRequest.complete`` or
``fail``) and resumes the mission; its next run asks the same question and finds the answer by prompt hash.

The mission is reached through the request's foreign key and its own public methods, never by importing
``missions`` (the higher app): agents sits below it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from agents.base import AwaitExternal, MissionContext
from agents.llm.audit import excerpt, log_call, since
from agents.llm.budget import check_token_budget, planned_tokens
from agents.llm.client import client, with_retries
from agents.llm.config import check_available, check_consent
from agents.llm.costs import cost_of
from agents.llm.errors import LLMCallFailed, LLMRequestRejected, MissionNotParkedYet, UnknownLLMResponse
from agents.llm.privacy import prompt_hash_of, pseudonymise_messages, pseudonyms_of
from agents.llm.response import LLMResponse
from agents.llm.structured import parse, with_schema

if TYPE_CHECKING:
    import pydantic

    from agents.base import MissionLike as Mission
    from agents.models import LLMRequest
    from agents.pii import Pseudonyms

ASYNC_REASON = "LLM answer"
# ``Mission.status`` of a mission whose attempt is still running (not parked yet). Compared by value: the mission
# is read through ``LLMRequest.mission`` so that agents does not import missions.
MISSION_RUNNING = "running"


def submit_async(messages: list[dict[str, str]], *, mission: Mission, agent: str, consent: bool,
                 known_values: Any = None) -> LLMRequest:
    """Hand the messages to the provider as a background response; the answer arrives through ``/webhook/llm``.

    ``consent`` (required): whether the people whose data the messages carry consented to LLM processing.
    """
    check_available()
    check_consent(consent)
    sent, pseudonyms = pseudonymise_messages(messages, known_values)
    return _submit(sent, pseudonyms, mission=mission, agent=agent,
                   prompt_hash=prompt_hash_of(settings.REX_LLM_MODEL, sent))


def _submit(sent: list[dict[str, str]], pseudonyms: Pseudonyms, *, mission: Mission, agent: str,
            prompt_hash: str) -> LLMRequest:
    from agents.models import LLMRequest

    check_token_budget(organization_id=mission.organization_id, mission=mission, planned=planned_tokens(sent))
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
        with client() as openai_client:
            response, retries = with_retries(lambda: openai_client.responses.create(
                model=model, input=sent, background=True, store=True, temperature=0,
                metadata={"rex_llm_request": str(request.id)},
            ))
    except (LLMCallFailed, LLMRequestRejected) as exc:
        # "reported": the caller gets this very exception, so a retry must ask afresh rather than report it again.
        error, waits, duration_ms = exc.as_error(), exc.retries, since(started)
        request.fail({**error, "reported": True}, on_transition=lambda _from, _to: log_call(
            **log, outcome="failed", duration_ms=duration_ms, retries=waits, error=error))
        raise
    request.mark_sent(response.id)
    log_call(**log, outcome="submitted", duration_ms=since(started), retries=retries,
             provider_response_id=response.id)
    if response.status == "completed":
        # A server without background mode answered at once: no need to wait for a webhook that will not come.
        # The mission is the caller, running and about to read the answer: nothing to resume.
        record_async_answer(request, response, event_type="response.completed", resume_mission=False)
        request.refresh_from_db()
    return request


def ask_async(context: MissionContext, messages: list[dict[str, str]], *, agent: str, consent: bool,
              known_values: Any = None, schema: type[pydantic.BaseModel] | None = None,
              timeout_seconds: float | None = None) -> LLMResponse:
    """The answer to ``messages`` for this mission, or park the mission until it arrives.

    First run: submits a background response and raises ``AwaitExternal`` (the runner parks the mission as
    ``waiting``). When the webhook has stored the answer and resumed the mission, the agent runs again from the
    start, asks the same question, and gets the answer (restored). A failed request raises ``LLMCallFailed`` once
    (the retry asks afresh); a request still pending on a re-run (its wait expired) is abandoned and asked again.
    ``consent`` (required): whether the people whose data the messages carry consented to LLM processing.
    """
    from agents.models import LLMRequest

    check_available()
    check_consent(consent)
    mission = context.mission
    sent, pseudonyms = pseudonymise_messages(messages, known_values)
    sent = with_schema(sent, schema)
    asked = prompt_hash_of(settings.REX_LLM_MODEL, sent)
    latest = (LLMRequest.objects.filter(mission=mission, agent=agent, prompt_hash=asked)
              .order_by("-created_at").first())
    if latest is not None and latest.status == LLMRequest.Status.COMPLETED:
        return _answer_of(latest, schema)
    if latest is not None and latest.status == LLMRequest.Status.FAILED and not latest.failure_reported:
        # Report a failure once: the mission retries, and the retry (seeing it reported) asks again.
        latest.mark_failure_reported()
        raise LLMCallFailed(f"the asynchronous LLM call failed: {(latest.error or {}).get('message', 'no detail')}",
                            llm_request=str(latest.id))
    if latest is not None and latest.status == LLMRequest.Status.PENDING:
        # Lost only if the answer settled it this very moment; asking afresh is then merely redundant.
        latest.expire()
    request = _submit(sent, pseudonyms, mission=mission, agent=agent, prompt_hash=asked)
    if request.status == LLMRequest.Status.COMPLETED:
        return _answer_of(request, schema)
    raise AwaitExternal(ASYNC_REASON, correlation_id=str(request.id), timeout_seconds=timeout_seconds)


def _answer_of(request: LLMRequest, schema: type[pydantic.BaseModel] | None) -> LLMResponse:
    # Validated from the answer as the model wrote it (placeholders), like ``complete`` does.
    parsed = parse(request.raw_answer, schema, pseudonyms_of(request.pseudonyms))
    return LLMResponse(text=request.answer, model=request.model, prompt_tokens=request.prompt_tokens,
                       completion_tokens=request.completion_tokens, cost=request.cost, duration_ms=0, parsed=parsed)


def finish_async(provider_response_id: str, event_type: str) -> str:
    """Store the outcome of a background response named by a webhook and resume its mission; returns what happened.

    Idempotent: a request that is no longer pending is left alone ("already_processed"). The provider is asked
    for the output (the event carries only the id) before anything is written.
    """
    from agents.models import LLMRequest

    request = LLMRequest.objects.filter(provider_response_id=provider_response_id).first()
    if request is None:
        raise UnknownLLMResponse(provider_response_id)
    if request.status != LLMRequest.Status.PENDING:
        return "already_processed"
    response = None
    if event_type == "response.completed":
        with client() as openai_client:
            response, _ = with_retries(lambda: openai_client.responses.retrieve(provider_response_id))
    return record_async_answer(request, response, event_type=event_type)


def record_async_answer(request: LLMRequest, response: Any, *, event_type: str, resume_mission: bool = True) -> str:
    """Settle ``request`` as completed (answer restored, tokens, cost) or failed, log it, resume its mission.

    Returns "completed", "failed" or "already_processed". The move is a conditional update: of two deliveries (or a
    delivery and the retry that expires the request) only one wins, and only the winner writes the audit row and
    resumes the mission, in the move's transaction; the mission's run task is dispatched after commit.
    ``resume_mission=False``: the answer came back inside the mission's own running attempt (no background mode).
    """
    from agents.models import LLMRequest

    current = LLMRequest.objects.filter(pk=request.pk).first()
    if current is None or current.status != LLMRequest.Status.PENDING:
        return "already_processed"
    mission = current.mission if current.mission_id else None
    if resume_mission and mission is not None and mission.status == MISSION_RUNNING:
        raise MissionNotParkedYet(str(mission.id))
    now = timezone.now()
    log: dict[str, Any] = {"organization": None, "organization_id": current.organization_id, "mission": mission,
                           "agent": current.agent, "action": "llm.async", "llm_request": str(current.id),
                           "provider_response_id": current.provider_response_id, "event": event_type,
                           "duration_ms": int((now - current.created_at).total_seconds() * 1000)}

    def resume(reason: str) -> None:
        if resume_mission and mission is not None:
            mission.resume(reason=reason, data={"llm_request": str(current.id)})

    if event_type == "response.completed" and response is not None and response.status == "completed":
        raw_text = response.output_text or ""
        usage = response.usage
        prompt_tokens = int(getattr(usage, "input_tokens", 0) or 0)
        completion_tokens = int(getattr(usage, "output_tokens", 0) or 0)
        model = response.model or current.model
        cost = cost_of(model, prompt_tokens, completion_tokens)

        def answered(_from: str, _to: str) -> None:
            log_call(**log, model=model, outcome="completed", prompt_tokens=prompt_tokens,
                     completion_tokens=completion_tokens, cost=cost, answer_as_received=excerpt(raw_text))
            resume("LLM answer arrived")

        won = current.complete(raw_answer=raw_text, answer=pseudonyms_of(current.pseudonyms).restore(raw_text),
                               model=model, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
                               cost=cost, on_transition=answered)
        return "completed" if won else "already_processed"

    ended = getattr(response, "status", None) or event_type.removeprefix("response.")
    provider_error = getattr(response, "error", None)
    detail = getattr(provider_error, "message", None) or (str(provider_error) if provider_error else "")
    error = {"message": f"the background response ended {ended}" + (f": {detail}" if detail else ""),
             "event": event_type}

    def failed(_from: str, _to: str) -> None:
        log_call(**log, model=current.model, outcome="failed", error=error)
        resume("LLM call failed")

    won = current.fail(error, on_transition=failed)
    return "failed" if won else "already_processed"
