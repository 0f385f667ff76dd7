"""Carrying a decision out: its missions in one transaction, every decision recorded (``do_command``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from agents import registry
from core.text import errors_by_field, find_unstorable, storable
from missions.decision.intents import supported_examples
from missions.decision.layers import decide, decide_structured
from missions.decision.model import Decision, DecisionRejected, describe, reject, shorten
from missions.decision.recording import record_decision, record_rejection
from missions.models import CommandDecision, Organization
from missions.services import (
    BatchRejected,
    CommandRejected,
    MissionRequest,
    Submission,
    submit_mission,
    submit_missions,
)


@dataclass
class CommandResult:
    decision: Decision
    submissions: list[Submission]
    record: CommandDecision

    @property
    def created(self) -> bool:
        return any(submission.created for submission in self.submissions)


def flatten_errors(errors: Any, prefix: str = "") -> list[str]:
    if isinstance(errors, dict):
        return [line for key, value in errors.items()
                for line in flatten_errors(value, key if not prefix else f"{prefix}.{key}")]
    if isinstance(errors, list | tuple):
        return [line for value in errors for line in flatten_errors(value, prefix)]
    return [f"{prefix}: {errors}" if prefix and prefix not in ("type", "non_field_errors") else str(errors)]


def do_command(payload: dict[str, Any], *, organization: Organization, user: Any = None,
               today: date | None = None) -> CommandResult:
    """Decide, then create the decision's missions in one transaction; every decision is recorded.

    A refusal is recorded (outcome "rejected", with the error) and raised again as the CommandRejected it is.
    """
    text = str(payload.get("command") or "")
    decision: Decision | None = None
    try:
        decision = decide(payload, organization=organization, user=user, today=today)
        if decision.control is not None:
            # The change and the decision that audits it commit together, or neither does.
            with transaction.atomic():
                decision.answer = decision.control()
                record = record_decision(organization, user, payload, decision, outcome="answered")
            return CommandResult(decision, [], record)
        if decision.answer is not None:
            record = record_decision(organization, user, payload, decision, outcome="answered")
            return CommandResult(decision, [], record)
        if decision.layer != "structured":
            check_agents_installed(decision)
        with transaction.atomic():
            submissions = [
                submit_mission(organization, mission_type=spec.type, params=spec.params, priority=spec.priority,
                               idempotency_key=spec.idempotency_key, requested_by=user)
                for spec in decision.missions
            ]
            record = record_decision(organization, user, payload, decision, outcome="accepted",
                                     missions=[submission.mission for submission in submissions])
        return CommandResult(decision, submissions, record)
    except DecisionRejected as exc:
        record_rejection(organization, user, payload, exc, layer=exc.layer, intent=exc.intent,
                         summary=exc.summary or (decision.summary if decision else shorten(text)))
        raise
    except CommandRejected as exc:
        layer = decision.layer if decision else "structured"
        if decision is not None and layer != "structured":
            # The agent refused what the text was read as: say both, in the free-text field, and keep the
            # field errors beside it for a client that reads fields.
            refused = exc
            exc = reject(f"understood as: {decision.summary}, but {refusal_in_words(refused, text)}",
                         layer=layer, intent=decision.intent, summary=decision.summary)
            exc.errors = {**exc.errors, **{k: v for k, v in refused.errors.items() if k != "command"}}
        record_rejection(organization, user, payload, exc, layer=layer, intent=decision.intent if decision else "",
                         summary=decision.summary if decision else "")
        raise exc from None


@dataclass
class BatchResult:
    submissions: list[Submission]  # one per command, in request order
    record: CommandDecision

    @property
    def created(self) -> bool:
        return any(submission.created for submission in self.submissions)


def do_commands(payloads: Sequence[dict[str, Any]], *, organization: Organization, user: Any = None) -> BatchResult:
    """Structured commands carried out together: every one's mission, or none (``missions.services.BatchRejected``).

    One request, one decision: the batch is recorded as one structured decision linked to all its missions, as a
    free-text command that plans several missions is; a refused batch as one rejected decision with the errors
    by item. The missions and the record commit in one transaction.
    """
    specs = [spec for payload in payloads for spec in decide_structured(payload).missions]
    types = sorted({spec.type for spec in specs})
    decision = Decision("structured", types[0] if len(types) == 1 else "batch", specs,
                        summary=shorten(f"batch of {len(specs)}: " + ", ".join(describe(spec) for spec in specs)))
    body = {"commands": list(payloads)}
    try:
        with transaction.atomic():
            submissions = submit_missions(organization, [
                MissionRequest(spec.type, spec.params, spec.priority, spec.idempotency_key) for spec in specs],
                requested_by=user)
            record = record_decision(organization, user, body, decision, outcome="accepted",
                                     missions=[submission.mission for submission in submissions])
    except BatchRejected as exc:
        record_rejection(organization, user, body, exc, layer="structured", intent=decision.intent,
                         summary=decision.summary)
        raise
    return BatchResult(submissions, record)


def refusal_in_words(exc: CommandRejected, text: str) -> str:
    """Why intake refused what a text was read as; names that matched nothing are answered with the whole command
    corrected ("did you mean 'send campaign spring-launch to list cfo-uk'?"), which the dashboard offers as a
    button."""
    if not exc.unknown:
        return "; ".join(flatten_errors(exc.errors))
    corrected = text
    for name in exc.unknown:
        if name.suggestion is not None:
            corrected = replace_word(corrected, name.value, name.suggestion)
    reasons = "; ".join(f"there is no {name.label} named '{name.value}'" + (f" ({name.hint})" if name.hint else "")
                        for name in exc.unknown)
    return reasons + (f"; did you mean '{corrected}'?" if corrected != text else "")


def replace_word(text: str, old: str, new: str) -> str:
    """``text`` with its last whole-word ``old`` (any case) replaced by ``new``: the slot values come last in the
    grammar's phrasings ("send campaign x to list x")."""
    matches = list(re.finditer(rf"(?<![\w.\-/]){re.escape(old)}(?![\w.\-/])", text, re.IGNORECASE))
    if not matches:
        return text
    last = matches[-1]
    return text[:last.start()] + new + text[last.end():]


def refuse_unstorable(payload: Any, *, organization: Organization, user: Any = None) -> None:
    """CommandRejected (recorded, like every refusal) when the request carries text PostgreSQL cannot store.

    Checked on the raw request, before validation: the error names the field, and the record keeps the request
    with those characters spelled out as text, since as they are it could not be stored either.
    """
    findings = find_unstorable(payload)
    if not findings:
        return
    exc = CommandRejected(errors_by_field(findings))
    recorded = storable(payload) if isinstance(payload, dict) else {"body": storable(payload)}
    # Refused for its form, before any layer read it: a structured refusal, whatever the command said.
    record_rejection(organization, user, recorded, exc, layer="structured", intent="",
                     summary=shorten(str(recorded.get("command") or "")))
    raise exc


def check_agents_installed(decision: Decision) -> None:
    """Never queue a mission nobody can run: every planned type must have an agent on this server.

    The refusal says what this server does run, so a user who clicked an example it cannot carry out yet (booking
    a meeting, before its agent is installed) learns what to ask instead.
    """
    for spec in decision.missions:
        if registry.get(spec.type) is None:
            raise reject(f"understood as: {decision.summary}, but no agent handles '{spec.type}' on this server yet, "
                         f"so nothing was queued. Commands this server carries out, for example: "
                         f"{'; '.join(supported_examples())}",
                         layer=decision.layer, intent=decision.intent, summary=decision.summary)
