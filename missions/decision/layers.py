"""The three layers: a structured request, the rules, the LLM; ``decide`` picks the one that reads a command."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.utils import timezone
from pydantic import ValidationError

from agents.intents import AnswerRefused, Intent, Question
from agents.params import params_hint
from core.answers import table_answer
from missions.decision.grammar import match_rules, normalize
from missions.decision.intents import example_commands, planned_intents
from missions.decision.model import Decision, MissionSpec, describe, reject, shorten
from missions.decision.near_miss import known_commands_message, near_miss
from missions.decision.plan import MAX_PLANNED_MISSIONS, clean_params, command_plan, readable_errors
from missions.decision.queries import find_mission, mission_status_answer
from missions.models import Organization, Priority

logger = logging.getLogger(__name__)

# A plan the LLM itself rates below this is more likely a guess than an understanding: refuse it.
MIN_LLM_CONFIDENCE = 0.5
LLM_PLAN_TIMEOUT_SECONDS = 20.0


def decide(payload: dict[str, Any], *, organization: Organization, user: Any = None,
           today: date | None = None) -> Decision:
    """Turn a request into a Decision (missions to create, or an answer). Raises CommandRejected, readable."""
    today = today or timezone.now().date()
    if payload.get("type"):
        return decide_structured(payload)
    text = " ".join(str(payload.get("command") or "").split())
    if not text:
        raise reject(say_what())
    decision = decide_by_rules(text, organization=organization, today=today, user=user)
    if decision is None:
        decision = decide_by_llm(text, organization=organization, today=today)
    if payload.get("priority"):  # the caller's priority wins over the plan's
        for spec in decision.missions:
            spec.priority = payload["priority"]
    return decision


def say_what() -> str:
    examples = example_commands()
    return f"say what REX should do, e.g. '{examples[0]}'" if examples else "say what REX should do"


def decide_structured(payload: dict[str, Any]) -> Decision:
    """Layer 1: the request already says which mission, with what params (validated by the agent on submit)."""
    spec = MissionSpec(payload["type"], payload.get("params") or {}, payload.get("priority") or Priority.NORMAL,
                       payload.get("idempotency_key"))
    return Decision("structured", spec.type, [spec], summary=describe(spec))


def decide_by_rules(text: str, *, organization: Organization, today: date, user: Any = None) -> Decision | None:
    """Layer 2: the grammar. None when the text is nothing like a known command (the LLM's turn)."""
    normalized = normalize(text)
    if not normalized:
        raise reject(say_what())
    found = match_rules(normalized, today)
    if found is None:
        suggestion = near_miss(normalized, today)
        if suggestion is not None:
            raise reject(f"REX does not know {shorten(text)!r}; did you mean '{suggestion}'?",
                         summary=f"{shorten(text)} → near miss of '{suggestion}'")
        return None
    intent = found.intent
    if intent.name == "mission_status":
        try:
            target = find_mission(organization, found.params["mission"])
        except ValueError as exc:
            raise reject(str(exc), intent="mission_status") from None
        return Decision("rules", "mission_status", answer=mission_status_answer(target),
                        summary=f"{shorten(text)} → status of mission {target.id}")
    if intent.name == "help":
        commands = example_commands()
        return Decision("rules", "help", answer=table_answer("Commands REX knows", ["command"],
                                                              [[command] for command in commands], commands=commands),
                        summary=f"{shorten(text)} → list the commands REX knows")
    if intent.answer is not None:
        question = Question(organization, found.params, today, actor_of(user), normalized)
        return answered_by_intent(intent, text, question)
    spec = MissionSpec(intent.mission_type, found.params)
    return Decision("rules", intent.name, [spec], summary=f"{shorten(text)} → {describe(spec)}")


def actor_of(user: Any) -> str:
    """Who a control is audited under: the person, or "api" for a caller without a username."""
    return str(getattr(user, "get_username", lambda: "")() or "api")


def answered_by_intent(intent: Intent, text: str, question: Question) -> Decision:
    """A question answered now (it only reads), or a control left for ``do_command`` to run in its transaction."""
    summary = f"{shorten(text)} → {intent.name.replace('_', ' ')}"
    answer = intent.answer
    assert answer is not None
    if intent.changes_data:
        def control() -> dict[str, Any]:
            try:
                return answer(question)
            except AnswerRefused as exc:
                raise reject(str(exc), intent=intent.name, summary=summary) from None

        return Decision("rules", intent.name, control=control, summary=summary)
    try:
        return Decision("rules", intent.name, answer=answer(question), summary=summary)
    except AnswerRefused as exc:
        raise reject(str(exc), intent=intent.name, summary=summary) from None


def planner_prompt(today: date) -> str:
    """The system prompt of layer 3: the registered intents, each with what it is for and its params.

    The gateway adds the JSON schema of ``command_plan()`` (the same params models, with their ranges).
    """
    intents = "\n".join(f'- "{intent.name}": {intent.description}. One or more missions of type '
                        f'"{intent.mission_type}", params: {params_hint(intent.params)}'
                        for intent in planned_intents())
    return (
        "You turn one command for REX, an outbound sales-operations platform, into a JSON plan. "
        f"Today is {today.isoformat()} ({today:%A}), UTC.\n"
        'Answer with one JSON object only: {"intent": "<intent>", "missions": [{"type": "<mission type>", '
        '"params": {...}, "priority": "high" | "normal" | "low"}], "confidence": <0 to 1>, '
        '"explanation": "<one sentence>"}.\n'
        f"Known intents:\n{intents}\n"
        'If the command asks for anything else, or you are unsure, answer intent "unknown" with no missions and say '
        "why in explanation. Use only names, numbers and addresses that appear in the command; never invent them; "
        "leave optional params out unless the command gives them. Dates are YYYY-MM-DD, never in the past. At most "
        f"{MAX_PLANNED_MISSIONS} missions."
    )


def decide_by_llm(text: str, *, organization: Organization, today: date) -> Decision:
    """Layer 3: ask the LLM for a CommandPlan; any doubt about the plan refuses the command, nothing runs."""
    from agents import llm

    not_understood = known_commands_message(text)
    if not llm.is_available():
        raise reject(not_understood, summary=f"{shorten(text)} → not understood", note="LLM unavailable")
    # Whose data the command carries: every contact it names (by address or phone) must have consented before
    # the text leaves the building. A command that names no contact carries only the operator's own words; any
    # other personal data in it is pseudonymised all the same.
    named = llm.contacts_named_in(organization, text)
    if not named.consent:
        raise reject(f"REX did not send this command to the LLM: it contains data of a contact without LLM consent "
                     f"({named.refused_as()}). {not_understood}", layer="llm",
                     summary=f"{shorten(text)} → not sent to the LLM (contact without LLM consent)",
                     note=f"{len(named.without_consent)} named contact(s) without LLM consent")
    messages = [{"role": "system", "content": planner_prompt(today)}, {"role": "user", "content": text}]
    plan_model = command_plan()
    try:
        reply = llm.complete(messages, organization=organization, agent="decision_engine", action="llm.plan",
                             schema=plan_model, consent=named.consent, known_values=named.known_values() or None,
                             timeout=LLM_PLAN_TIMEOUT_SECONDS)
    except llm.LLMInvalidOutput as exc:
        raise reject(f"the LLM's plan for this command was invalid, so nothing was run: {exc}", layer="llm",
                     summary=f"{shorten(text)} → invalid plan") from None
    except (llm.LLMUnavailable, llm.LLMCallFailed, llm.LLMRequestRejected) as exc:
        # The rules' answer stands: a broken LLM must never turn a command into a 500.
        raise reject(not_understood, summary=f"{shorten(text)} → not understood",
                     note=f"LLM failed: {type(exc).__name__}: {exc}") from None
    except Exception as exc:  # whatever else the model or the SDK throws, intake answers 400, never 500
        logger.exception("the LLM layer failed unexpectedly; answering with the rules' error")
        raise reject(not_understood, summary=f"{shorten(text)} → not understood",
                     note=f"LLM layer error: {type(exc).__name__}") from None
    try:
        plan = reply.parsed if isinstance(reply.parsed, plan_model) else plan_model.model_validate(reply.parsed)
    except ValidationError as exc:  # a gateway that handed back an unvalidated plan is checked here all the same
        raise reject(f"the LLM's plan for this command was invalid, so nothing was run: "
                     f"{'; '.join(readable_errors(exc))}", layer="llm", summary=f"{shorten(text)} → invalid plan") from None
    if plan.intent == "unknown" or plan.confidence < MIN_LLM_CONFIDENCE:
        why = plan.explanation or "no explanation given"
        raise reject(f"REX could not turn this into a command it knows (confidence {plan.confidence:.2f}): {why}. "
                     f"{known_commands_message(text)}", layer="llm", intent=plan.intent,
                     summary=f"{shorten(text)} → {plan.intent} ({plan.confidence:.2f})")
    specs = []
    for planned in plan.missions:
        try:
            # Again with the caller's today: the plan's own validation counted from the server's clock.
            params = clean_params(planned.type, planned.params.model_dump(mode="json", exclude_unset=True), today=today)
        except ValueError as exc:
            raise reject(f"the LLM's plan for this command was invalid, so nothing was run: params of {planned.type}: "
                         f"{exc}", layer="llm", intent=plan.intent) from None
        specs.append(MissionSpec(planned.type, params, planned.priority))
    summary = f"{shorten(text)} → {'; '.join(describe(spec) for spec in specs)}"
    return Decision("llm", plan.intent, specs, summary=summary)
