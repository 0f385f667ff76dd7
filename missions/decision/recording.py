"""Recording decisions (``CommandDecision`` rows) and reading them back: which layer does the work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.db.models import Count, Q

from core.bulk import insert_new_rows
from core.registry import Registry
from missions.decision.model import LAYERS, Decision
from missions.models import CommandDecision, Mission, Organization
from missions.services import CommandRejected


def record_decision(organization: Organization, user: Any, payload: dict[str, Any], decision: Decision, *,
                    outcome: str, missions: Sequence[Mission] = ()) -> CommandDecision:
    record = CommandDecision.objects.create(
        organization=organization, requested_by=user if getattr(user, "pk", None) else None,
        text=str(payload.get("command") or ""), payload=_jsonable(payload), layer=decision.layer,
        intent=decision.intent, outcome=outcome, summary=decision.summary,
    )
    if missions:
        # The record is new, so it has no links yet: its links are written as new rows (one COPY for a batch of
        # up to 100 missions) instead of through ``missions.add()``, which first reads the links back to skip
        # existing ones. Nothing listens to m2m_changed.
        link = CommandDecision.missions.through
        insert_new_rows([link(commanddecision_id=record.pk, mission_id=pk)
                         for pk in dict.fromkeys(mission.pk for mission in missions)])
    return record


def record_decisions(organization: Organization, user: Any,
                     decided: Sequence[tuple[dict[str, Any], Decision, Mission]]) -> list[CommandDecision]:
    """``record_decision`` (accepted, with its mission) for each command of a batch: one INSERT for the records
    and one for their links to the missions, whatever the batch's size."""
    requested_by = user if getattr(user, "pk", None) else None
    records = CommandDecision.objects.bulk_create([
        CommandDecision(organization=organization, requested_by=requested_by, text="", payload=_jsonable(payload),
                        layer=decision.layer, intent=decision.intent, outcome="accepted", summary=decision.summary)
        for payload, decision, _ in decided])
    link = CommandDecision.missions.through
    insert_new_rows([link(commanddecision_id=record.pk, mission_id=mission.pk)
                     for record, (_, _, mission) in zip(records, decided, strict=True)])
    return records


def record_rejection(organization: Organization, user: Any, payload: dict[str, Any], exc: CommandRejected, *,
                     layer: str, intent: str, summary: str) -> CommandDecision:
    error = _jsonable(exc.errors)
    note = getattr(exc, "note", "")
    if note:
        error = {**error, "_note": note}
    return CommandDecision.objects.create(
        organization=organization, requested_by=user if getattr(user, "pk", None) else None,
        text=str(payload.get("command") or ""), payload=_jsonable(payload), layer=layer, intent=intent,
        outcome="rejected", summary=summary, error=error,
    )


def _jsonable(value: Any) -> Any:
    """DRF's ErrorDetail strings and other str subclasses as plain JSON."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


# Other decisions the rules-first engine makes (replies triaged by rules or the LLM), counted in the same figure.
# A source answers ``{"rules": n, "llm": n, "review": n}`` for an organization since a moment, in one query;
# "review" (left to a person) is reported apart, like rejections.
DecisionSource = Callable[[Organization, datetime], dict[str, int]]
DECISION_SOURCES: Registry[DecisionSource] = Registry("decision source")


def register_decision_source(name: str, source: DecisionSource) -> None:
    DECISION_SOURCES.register(name, source)


def layer_share(organization: Organization, *, since: datetime) -> dict[str, Any]:
    """Decisions per layer since ``since``: counts and shares of the accepted and answered ones, and rejections.

    One aggregate query for commands, plus one per registered source (triaged replies). Shares are of the decided
    total; rejections and what was left for a person to review are counted apart. ``sources`` has each part.
    """
    decided = Q(outcome__in=("accepted", "answered"))
    counts = CommandDecision.objects.filter(organization=organization, created_at__gte=since).aggregate(
        **{f"{layer}_decided": Count("id", filter=decided & Q(layer=layer)) for layer in LAYERS},
        **{f"{layer}_rejected": Count("id", filter=Q(outcome="rejected", layer=layer)) for layer in LAYERS},
    )
    sources = {"commands": {layer: counts[f"{layer}_decided"] for layer in LAYERS}}
    review = 0
    for name in DECISION_SOURCES:
        part = DECISION_SOURCES[name](organization, since)
        sources[name] = part
        review += part.get("review", 0)
        for layer in LAYERS:
            counts[f"{layer}_decided"] += part.get(layer, 0)
    total = sum(counts[f"{layer}_decided"] for layer in LAYERS)
    layers = {}
    for layer in LAYERS:
        count = counts[f"{layer}_decided"]
        share = count / total if total else 0.0
        layers[layer] = {"count": count, "share": round(share, 4), "percent": round(share * 100),
                         "rejected": counts[f"{layer}_rejected"]}
    return {
        "since": since.isoformat(),
        "decided": total,
        "rejected": sum(counts[f"{layer}_rejected"] for layer in LAYERS),
        "review": review,
        "layers": layers,
        "sources": sources,
    }
